import { Param, ParseUUIDPipe } from '@nestjs/common';

/** A path parameter that must be a UUID (400 otherwise, before any lookup). */
export const UuidParam = (name = 'id'): ParameterDecorator => Param(name, new ParseUUIDPipe());
