import 'reflect-metadata';
import { registerWhenListening } from '@app/discovery';
import { bootstrap } from '@app/http';
import { loadLikesConfig } from './likes.config';
import { LikesModule } from './likes.module';
import { seedPostsDatabase } from './posts/posts-database.module';
import { initLikesStore, repairLikes } from './redis/init';

const env = loadLikesConfig();
const log = (line: string) => console.log(`likes: ${line}`);
const fail = (error: unknown) => {
  console.error(
    `likes: ${process.argv[2]} failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
};
if (process.argv.includes('--init')) {
  // bin/init.sh: create the posts database and seed it, move likes from the old keys, rebuild the
  // indexes (all idempotent), then exit.
  const posts = seedPostsDatabase(env.POSTS_DB_PATH, env.POSTS_SEED_COUNT);
  log(`${posts} posts ready at ${env.POSTS_DB_PATH}`);
  initLikesStore(env, log).then(() => process.exit(0), fail);
} else if (process.argv.includes('--repair')) {
  // Rebuild the top list and the users' likes from the likes, then exit.
  repairLikes(env, log).then(() => process.exit(0), fail);
} else {
  void bootstrap(LikesModule.forRoot(env), env).then(registerWhenListening);
}
