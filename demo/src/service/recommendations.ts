import type { ChatRouter } from '../ai/chat-router';
import { planRoute } from '../ai/routing';
import type { JsonCache } from '../cache/json-cache';
import type { DemoStore } from '../db/store';
import { NotFoundError } from './errors';
import { ARTICLES, type Article } from './topics';

export interface Recommendation {
  userId: string;
  topics: string[];
  articles: Article[];
  /** The model's one-paragraph pitch for the articles. */
  summary: string;
  model: string;
  cached: boolean;
}

/** What the cache keeps: the AI response's `model` and `usage` at the top, so a hit is priced as saved cost. */
interface CachedRecommendation {
  text: string;
  model: string;
  provider: string;
  usage: unknown;
  articles: Article[];
}

const TOPIC_LIMIT = 3;
const ARTICLE_LIMIT = 4;

/**
 * Help articles for a user: their most frequent recent topics from the database,
 * then a fast model writes the pitch. Cached per (user, topics) so a user
 * reloading the page costs nothing until their history changes.
 */
export class Recommendations {
  constructor(
    private readonly router: ChatRouter,
    private readonly cache: JsonCache,
    private readonly store: DemoStore,
  ) {}

  async forUser(userId: string, signal: AbortSignal): Promise<Recommendation> {
    const user = await this.store.findUser(userId);
    if (!user) throw new NotFoundError(`Unknown user ${JSON.stringify(userId)}`);
    const history = await this.store.topicHistory(userId, TOPIC_LIMIT);
    const topics = history.length > 0 ? history.map((entry) => entry.topic) : ['general'];
    const articles = rank(topics);
    const plan = planRoute({ tier: 'fast', cacheKey: topics.join(',') });
    const { value, hit } = await this.cache.lookup<CachedRecommendation>(
      `${userId}:${topics.join(',')}`,
      async () => {
        // Only topics and article titles go to the model: no personal data.
        const prompt = `A customer reads about ${topics.join(', ')}. In two sentences, tell them why these help articles are useful: ${articles.map((a) => a.title).join('; ')}.`;
        const routed = await this.router.complete(plan, prompt, 120, signal);
        const { text, model, provider, usage } = routed.result;
        return { text, model, provider, usage, articles };
      },
      { aiProvider: plan.primary.provider, shouldStore: (computed) => computed.provider === plan.primary.provider },
    );
    return { userId, topics, articles: value.articles, summary: value.text, model: value.model, cached: hit };
  }
}

/** Articles of the user's topics in order of interest, then general ones to fill up. */
function rank(topics: readonly string[]): Article[] {
  const ranked = topics.flatMap((topic) => ARTICLES.filter((article) => article.topic === topic));
  for (const article of ARTICLES) if (article.topic === 'general' && !ranked.includes(article)) ranked.push(article);
  return ranked.slice(0, ARTICLE_LIMIT);
}
