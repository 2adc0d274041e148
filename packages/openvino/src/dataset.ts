/**
 * `Dataset`, as NNCF's `nncf.Dataset`: the caller's items (images with labels, rows of a
 * table, anything) and a function that turns one item into the model's feeds. Calibration
 * iterates the feeds; a validation function also sees the items, labels included.
 */
import { QtkError, type Feeds } from '@qtk/core';

/** Turns one item of a dataset into the model's feeds (input name → tensor). */
export type DatasetTransform<T> = (item: T) => Feeds;

/**
 * Items and the transform that makes feeds of them. Iterating a dataset gives the feeds
 * of its items in order; `subset(n)` keeps the first `n` items.
 * Example: `new Dataset(lines, (line) => ({ x: line.tensor }))`.
 */
export class Dataset<T = Feeds> implements Iterable<Feeds> {
  /** The items as given. */
  readonly items: readonly T[];
  /** The function that makes the feeds of one item (the identity when none was given). */
  readonly transform: DatasetTransform<T>;

  /**
   * `items` are copied into an array once; without `transform` each item must be feeds
   * already (an E_OPTION error names the first item that is not an object).
   */
  constructor(items: Iterable<T>, transform?: DatasetTransform<T>) {
    this.items = [...items];
    this.transform = transform ?? identityFeeds;
  }

  /** The number of items. */
  get size(): number {
    return this.items.length;
  }

  /** The feeds of item `index`. */
  feedsAt(index: number): Feeds {
    if (!Number.isInteger(index) || index < 0 || index >= this.items.length) {
      throw new QtkError('E_OPTION', `dataset item ${index} does not exist: the dataset holds ${this.items.length} items`, { option: 'dataset' });
    }
    return this.transform(this.items[index]!);
  }

  /** A dataset of the first `n` items (all of them when there are fewer), with the same transform. */
  subset(n: number): Dataset<T> {
    if (!Number.isInteger(n) || n < 1) throw new QtkError('E_OPTION', `a subset needs a whole number of items ≥ 1, not ${n}`, { option: 'subsetSize' });
    return n >= this.items.length ? this : new Dataset(this.items.slice(0, n), this.transform);
  }

  /** Each item with its feeds, in order. */
  *entries(): IterableIterator<[item: T, feeds: Feeds]> {
    for (let i = 0; i < this.items.length; i++) yield [this.items[i]!, this.feedsAt(i)];
  }

  /** The feeds of each item, in order (made when reached, so a long dataset is never held as feeds). */
  *[Symbol.iterator](): Iterator<Feeds> {
    for (let i = 0; i < this.items.length; i++) yield this.feedsAt(i);
  }
}

/** The transform of a dataset built without one: the item is the feeds. */
function identityFeeds<T>(item: T): Feeds {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new QtkError('E_OPTION', `a dataset without a transform holds feeds (input name → tensor), not ${Array.isArray(item) ? 'an array' : typeof item}: give a transform`, { option: 'dataset' });
  }
  return item as unknown as Feeds;
}
