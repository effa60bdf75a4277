import { ApiQuery, ApiResponses } from '@app/http';
import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { BlockingQueryInterceptor } from './blocking-query.interceptor';
import { blockingQueryFields } from './dto/blocking-query.schema';

/**
 * A read that can be held as a blocking query (`?index=&wait=`): the interceptor that holds it, and its
 * two parameters and its 429 in the document.
 */
export const Blocking = () =>
  applyDecorators(
    UseInterceptors(BlockingQueryInterceptor),
    ApiQuery(blockingQueryFields),
    ApiResponses({ 429: 'REGISTRY_MAX_HELD_QUERIES blocking queries are held already.' }),
  );
