import { Injectable } from '@nestjs/common';

/** The time billing goes by; tests move it to cross a period's end. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
