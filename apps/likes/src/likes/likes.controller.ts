import { Controller, Delete, Get, Post } from '@nestjs/common';
import type { z } from 'zod';
import { ApiResponses, ApiSummary, FastPath, Input, Returns } from '@app/http';
import {
  likeInput,
  postInput,
  seedLikeInput,
  seedPostInput,
  topInput,
  userLikesInput,
} from './dto/likes.schema';
import {
  likeView,
  type LikeView,
  postLikesView,
  type PostLikes,
  topView,
  type TopView,
  userLikesView,
  type UserLikesView,
} from './dto/likes.view';
import { LikesService } from './likes.service';

const NO_POST = { 404: 'No such post.' };
const LIKE = { ...NO_POST, 409: 'The user already likes this post.' };

/** The likes API: the seed's routes and the resource routes (README; docs/ARCHITECTURE.md for the request paths). */
@Controller()
@FastPath()
export class LikesController {
  constructor(private readonly likes: LikesService) {}

  @Post('new/likes')
  @ApiSummary("Like a post (the seed's route: posts_id and username)")
  @Returns(likeView)
  @ApiResponses(LIKE)
  likeSeed(@Input(seedLikeInput) { posts_id, username }: z.output<typeof seedLikeInput>): Promise<LikeView> {
    return this.likes.like(posts_id, username);
  }

  @Post('posts/:id/likes')
  @ApiSummary('Like a post')
  @Returns(likeView)
  @ApiResponses(LIKE)
  like(@Input(likeInput) { id, username }: z.output<typeof likeInput>): Promise<LikeView> {
    return this.likes.like(id, username);
  }

  @Delete('posts/:id/likes/:username')
  @ApiSummary('Take a like back')
  @Returns(likeView)
  @ApiResponses({ 404: 'No such post, or the user does not like it.' })
  unlike(@Input(likeInput) { id, username }: z.output<typeof likeInput>): Promise<LikeView> {
    return this.likes.unlike(id, username);
  }

  @Get('likes')
  @ApiSummary("A post's like count (the seed's route)")
  @Returns(postLikesView)
  @ApiResponses(NO_POST)
  countSeed(@Input(seedPostInput) { posts_id }: z.output<typeof seedPostInput>): Promise<PostLikes> {
    return this.likes.count(posts_id);
  }

  @Get('posts/:id/likes')
  @ApiSummary("A post's like count")
  @Returns(postLikesView)
  @ApiResponses(NO_POST)
  count(@Input(postInput) { id }: z.output<typeof postInput>): Promise<PostLikes> {
    return this.likes.count(id);
  }

  @Get(['user/likes', 'users/:username/likes'])
  @ApiSummary("A user's likes, newest first, a page at a time")
  @Returns(userLikesView)
  userLikes(@Input(userLikesInput) q: z.output<typeof userLikesInput>): Promise<UserLikesView> {
    return this.likes.userLikes(q.username, q.cursor, q.limit);
  }

  @Get(['top/likes', 'likes/top'])
  @ApiSummary('The most liked posts')
  @Returns(topView)
  top(@Input(topInput) { limit }: z.output<typeof topInput>): Promise<TopView> {
    return this.likes.top(limit);
  }
}
