import { Controller, Delete, Get, Post } from '@nestjs/common';
import type { z } from 'zod';
import { ApiResponses, Input } from '@app/http';
import {
  likeInput,
  postInput,
  seedLikeInput,
  seedPostInput,
  topInput,
  userLikesInput,
} from './dto/likes.schema';
import { type LikeRecord, LikesService, type PostLikes, type UserLikesPage } from './likes.service';

const NO_POST = { 404: 'No such post.' };
const LIKE = { ...NO_POST, 409: 'The user already likes this post.' };

/** The likes API: the seed's routes and the resource routes (README; docs/ARCHITECTURE.md for the request paths). */
@Controller()
export class LikesController {
  constructor(private readonly likes: LikesService) {}

  @Post('new/likes')
  @ApiResponses(LIKE)
  likeSeed(
    @Input(seedLikeInput) { posts_id, username }: z.output<typeof seedLikeInput>,
  ): Promise<LikeRecord> {
    return this.likes.like(posts_id, username);
  }

  @Post('posts/:id/likes')
  @ApiResponses(LIKE)
  like(@Input(likeInput) { id, username }: z.output<typeof likeInput>): Promise<LikeRecord> {
    return this.likes.like(id, username);
  }

  @Delete('posts/:id/likes/:username')
  @ApiResponses({ 404: 'No such post, or the user does not like it.' })
  unlike(@Input(likeInput) { id, username }: z.output<typeof likeInput>): Promise<LikeRecord> {
    return this.likes.unlike(id, username);
  }

  @Get('likes')
  @ApiResponses(NO_POST)
  countSeed(@Input(seedPostInput) { posts_id }: z.output<typeof seedPostInput>): Promise<PostLikes> {
    return this.likes.count(posts_id);
  }

  @Get('posts/:id/likes')
  @ApiResponses(NO_POST)
  count(@Input(postInput) { id }: z.output<typeof postInput>): Promise<PostLikes> {
    return this.likes.count(id);
  }

  @Get(['user/likes', 'users/:username/likes'])
  userLikes(@Input(userLikesInput) q: z.output<typeof userLikesInput>): Promise<UserLikesPage> {
    return this.likes.userLikes(q.username, q.cursor, q.limit);
  }

  @Get(['top/likes', 'likes/top'])
  top(@Input(topInput) { limit }: z.output<typeof topInput>): Promise<{ posts: PostLikes[] }> {
    return this.likes.top(limit);
  }
}
