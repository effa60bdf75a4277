import 'reflect-metadata';
import { registerWhenListening } from '@app/discovery';
import { bootstrap } from '@app/http';
import { loadLikesConfig } from './likes.config';
import { LikesModule } from './likes.module';
import { seedPostsDatabase } from './posts/posts-database.module';

const env = loadLikesConfig();
if (process.argv.includes('--init')) {
  // bin/init.sh: create the posts database and seed it (idempotent), then exit.
  const posts = seedPostsDatabase(env.POSTS_DB_PATH, env.POSTS_SEED_COUNT);
  console.log(`likes: ${posts} posts ready at ${env.POSTS_DB_PATH}`);
} else {
  void bootstrap(LikesModule.forRoot(env), env).then(registerWhenListening);
}
