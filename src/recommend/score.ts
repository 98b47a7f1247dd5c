/**
 * The recommendation score: a hand-weighted sum of four signals, each between 0 and 1.
 *
 *   score = 4 × co-purchase + 3 × interests + 2 × rating + 1 × popularity
 *
 * - co-purchase: for the items the member bought, the largest share of that item's buyers who
 *   also bought this one ("members who bought Async Rust also bought …");
 * - interests: the share of the member's interests (the tags of their questions and the
 *   languages of their code reviews, requested or reviewed) found among the words of the item's
 *   name, title and description (catalog items have no tags of their own);
 * - rating: the average stars pulled towards 3.5 as if it had 5 more ratings of 3.5 (so one
 *   5-star rating does not beat twenty 4.8s), mapped from 1..5 to 0..1;
 * - popularity: the item's buyers over the most-bought item's buyers.
 *
 * Items the member holds or held, and archived items, are never recommended. Ties (equal
 * scores) go to the item with more buyers, then to the name in alphabetical order, so the same
 * data always gives the same list. Pure: every input is an argument.
 */
export const WEIGHTS = { coPurchase: 4, interests: 3, rating: 2, popularity: 1 } as const;
/** The Bayesian prior of the rating signal: this many ratings of PRIOR_STARS. */
export const PRIOR_RATINGS = 5;
export const PRIOR_STARS = 3.5;
export const RECOMMENDED = 3;

export interface ItemFacts {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly archived: boolean;
}

export interface RecommendInput {
  readonly items: readonly ItemFacts[];
  /** Who bought what (purchases and subscriptions), across the community. */
  readonly purchases: readonly { readonly memberId: string; readonly itemId: string }[];
  /** Items the member holds or held, from any source: never recommended. */
  readonly held: ReadonlySet<string>;
  readonly memberId: string;
  /** Lowercase tags of the member's questions. */
  readonly questionTags: readonly string[];
  /** Lowercase languages of the member's code reviews. */
  readonly reviewLanguages: readonly string[];
  /** Average stars and count per rated item (the ratings service's averages). */
  readonly ratings: ReadonlyMap<string, { readonly average: number; readonly count: number }>;
}

/** One reason, in words, with the signal it comes from (the strongest first). */
export interface Recommendation {
  readonly itemId: string;
  readonly name: string;
  readonly title: string;
  readonly score: number;
  readonly reasons: readonly string[];
}

export function recommend(input: RecommendInput, limit = RECOMMENDED): Recommendation[] {
  const buyers = new Map<string, Set<string>>();
  for (const p of input.purchases) {
    let set = buyers.get(p.itemId);
    if (!set) buyers.set(p.itemId, (set = new Set()));
    set.add(p.memberId);
  }
  const bought = input.items.filter((i) => buyers.get(i.id)?.has(input.memberId));
  const mostBuyers = Math.max(1, ...[...buyers.values()].map((s) => s.size));
  const questionTags = new Set(input.questionTags);
  const languages = new Set(input.reviewLanguages);
  const interests = new Set([...questionTags, ...languages]);

  const scored = input.items
    .filter((item) => !item.archived && !input.held.has(item.id))
    .map((item) => {
      const itemBuyers = buyers.get(item.id) ?? new Set<string>();
      const reasons: { weight: number; text: string }[] = [];

      let coPurchase = 0;
      let coFrom: ItemFacts | undefined;
      for (const other of bought) {
        const otherBuyers = buyers.get(other.id)!;
        const both = [...otherBuyers].filter((m) => m !== input.memberId && itemBuyers.has(m)).length;
        const others = otherBuyers.size - 1;
        const share = others > 0 ? both / others : 0;
        if (share > coPurchase || (share === coPurchase && share > 0 && coFrom && other.name < coFrom.name)) [coPurchase, coFrom] = [share, other];
      }
      if (coFrom && coPurchase > 0) reasons.push({ weight: WEIGHTS.coPurchase * coPurchase, text: `members who bought ${coFrom.title} also bought it` });

      const words = wordsOf(item);
      const matchedTags = [...questionTags].filter((t) => words.has(t)).sort();
      const matchedLanguages = [...languages].filter((l) => words.has(l) && !questionTags.has(l)).sort();
      const interestShare = interests.size > 0 ? (matchedTags.length + matchedLanguages.length) / interests.size : 0;
      if (matchedTags.length > 0) reasons.push({ weight: (WEIGHTS.interests * matchedTags.length) / interests.size, text: `matches the tags of your questions (${matchedTags.join(", ")})` });
      if (matchedLanguages.length > 0) reasons.push({ weight: (WEIGHTS.interests * matchedLanguages.length) / interests.size, text: `matches the languages of your code reviews (${matchedLanguages.join(", ")})` });

      const rated = input.ratings.get(item.id);
      const stars = rated ? (rated.average * rated.count + PRIOR_STARS * PRIOR_RATINGS) / (rated.count + PRIOR_RATINGS) : PRIOR_STARS;
      const rating = (stars - 1) / 4;
      if (rated && rated.count > 0) reasons.push({ weight: WEIGHTS.rating * rating, text: `rated ${rated.average.toFixed(1)} by ${rated.count} member${rated.count === 1 ? "" : "s"}` });

      const popularity = itemBuyers.size / mostBuyers;
      if (itemBuyers.size > 0) reasons.push({ weight: WEIGHTS.popularity * popularity, text: `${itemBuyers.size} member${itemBuyers.size === 1 ? " has" : "s have"} bought it` });

      const score = WEIGHTS.coPurchase * coPurchase + WEIGHTS.interests * interestShare + WEIGHTS.rating * rating + WEIGHTS.popularity * popularity;
      return { item, buyers: itemBuyers.size, score, reasons: reasons.sort((a, b) => b.weight - a.weight).map((r) => r.text) };
    });

  return scored
    .sort((a, b) => b.score - a.score || b.buyers - a.buyers || (a.item.name < b.item.name ? -1 : a.item.name > b.item.name ? 1 : 0))
    .slice(0, limit)
    .map((s) => ({ itemId: s.item.id, name: s.item.name, title: s.item.title, score: s.score, reasons: s.reasons.slice(0, 2) }));
}

/** Lowercase words of the item's name, title and description; `c++`, `c#` and `node.js` stay whole. */
export function wordsOf(item: Pick<ItemFacts, "name" | "title" | "description">): Set<string> {
  const text = `${item.name} ${item.title} ${item.description}`.toLowerCase();
  return new Set(text.split(/[^a-z0-9+#.-]+/).map((w) => w.replace(/^[.-]+|[.-]+$/g, "")).filter(Boolean));
}
