import { createHash } from 'node:crypto';
import { FrameSize } from './resolutions';

export const SCENE_FPS = 30;

// The automaton runs on a coarse 16:9 grid scaled up without smoothing: cheap at any resolution.
const GRID = { width: 192, height: 108 };

export interface SceneText {
  /** A file holding the already laid-out text; read by drawtext so the prompt needs no escaping. */
  textFile: string;
  fontPath: string;
}

/**
 * The local renderer's picture: Conway's game of life with colours and seed taken from a hash of
 * the prompt (the same prompt always gives the same video), optionally with the prompt on top.
 */
export function sceneFilter(prompt: string, frame: FrameSize, text?: SceneText): string {
  const digest = createHash('sha256').update(prompt).digest();
  const hue = (digest[4] / 255) * 360;
  const life = [
    `life=s=${GRID.width}x${GRID.height}`,
    `r=${SCENE_FPS}`,
    `seed=${digest.readUInt32BE(0)}`,
    'ratio=0.25',
    'mold=16',
    `life_color=${hslHex(hue, 0.9, 0.6)}`,
    `death_color=${hslHex(hue + 180, 0.5, 0.12)}`,
    `mold_color=${hslHex(hue + 150, 0.6, 0.35)}`,
  ].join(':');
  const filters = [life, `scale=${frame.width}:${frame.height}:flags=neighbor`];
  if (text) filters.push(drawtext(frame, text));
  filters.push('format=yuv420p');
  return filters.join(',');
}

/** Wraps the prompt into the lines that fit the frame at the font size `sceneFilter` uses. */
export function layoutPrompt(prompt: string, frame: FrameSize): string {
  const fontSize = sceneFontSize(frame);
  // DejaVu Sans averages about 0.6 em per character; keep a margin around the text box.
  const maxChars = Math.floor((frame.width * 0.8) / (fontSize * 0.6));
  const maxLines = Math.floor((frame.height * 0.7) / (fontSize * 1.25));
  return wrapText(prompt, maxChars, maxLines);
}

/** Word-wraps plain text, splitting over-long words and ending with "…" when lines run out. */
export function wrapText(text: string, maxChars: number, maxLines: number): string {
  const words = text
    .replace(/\p{Cc}+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((word) => splitEvery([...word], maxChars));
  const lines: string[] = [];
  let line: string[] = [];
  for (const word of words) {
    if (line.length === 0) line = word;
    else if (line.length + 1 + word.length <= maxChars) line = [...line, ' ', ...word];
    else {
      lines.push(line.join(''));
      line = word;
    }
  }
  if (line.length > 0) lines.push(line.join(''));
  if (lines.length <= maxLines) return lines.join('\n');
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${[...kept[maxLines - 1]].slice(0, maxChars - 1).join('')}…`;
  return kept.join('\n');
}

/** Escapes a filter option value twice: for the option parser, then for the filtergraph parser. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\':]/g, '\\$&').replace(/[\\'[\],;]/g, '\\$&');
}

function drawtext(frame: FrameSize, text: SceneText): string {
  const fontSize = sceneFontSize(frame);
  return [
    `drawtext=fontfile=${escapeFilterValue(text.fontPath)}`,
    `textfile=${escapeFilterValue(text.textFile)}`,
    // Without this, "%{...}" in a prompt would be evaluated by drawtext.
    'expansion=none',
    `fontsize=${fontSize}`,
    'fontcolor=white',
    `line_spacing=${Math.round(fontSize / 4)}`,
    'box=1',
    'boxcolor=black@0.55',
    `boxborderw=${Math.round(fontSize / 2)}`,
    'x=(w-text_w)/2',
    'y=(h-text_h)/2',
  ].join(':');
}

function sceneFontSize(frame: FrameSize): number {
  return Math.round(frame.height / 18);
}

function splitEvery(characters: string[], size: number): string[][] {
  const parts: string[][] = [];
  for (let start = 0; start < characters.length; start += size) {
    parts.push(characters.slice(start, start + size));
  }
  return parts;
}

function hslHex(hueDegrees: number, saturation: number, lightness: number): string {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const channel = (n: number) => {
    const k = (n + hueDegrees / 30) % 12;
    const value = lightness - (chroma / 2) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `0x${channel(0)}${channel(8)}${channel(4)}`;
}
