import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { loadConfig } from '../../config/load-config';
import { LocalObjectStorage } from './local-object-storage';

describe('LocalObjectStorage', () => {
  let storage: LocalObjectStorage;

  beforeEach(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-storage-'));
    storage = new LocalObjectStorage(loadConfig({ STORAGE_DIR: dir }));
    await storage.onModuleInit();
  });

  async function stored(key: string, content: string): Promise<void> {
    const temp = storage.tempPath();
    await writeFile(temp, content);
    await storage.putFile(key, temp);
  }

  it('stores a file under a key and reads it whole or by range', async () => {
    await stored('media/abc', '0123456789');
    expect(await storage.size('media/abc')).toBe(10);
    expect(await text(storage.read('media/abc'))).toBe('0123456789');
    expect(await text(storage.read('media/abc', { start: 2, end: 4 }))).toBe('234');
    expect(await readFile(await storage.localPath('media/abc'), 'utf8')).toBe('0123456789');
  });

  it('replaces an object and removes it, twice without complaint', async () => {
    await stored('media/x', 'one');
    await stored('media/x', 'two');
    expect(await text(storage.read('media/x'))).toBe('two');
    await storage.remove('media/x');
    await storage.remove('media/x');
    await expect(storage.size('media/x')).rejects.toThrow();
  });

  it.each(['../etc/passwd', '/etc/passwd', 'media/../../x', '', 'a b'])(
    'refuses the key %j',
    (key) => {
      expect(() => storage.read(key)).toThrow('Unsafe storage key');
    },
  );
});
