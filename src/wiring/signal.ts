/**
 * A one-way event between two wiring steps, so an earlier step can announce what a later one acts
 * on (an article was stored; a schedule fired) without holding that later step. Listeners are
 * attached while the app is built, before anything runs; `emit` waits for all of them.
 */
export interface Signal<T> {
  emit(value: T): Promise<void>;
  listen(listener: (value: T) => Promise<unknown> | undefined): void;
}

export function createSignal<T>(): Signal<T> {
  const listeners: ((value: T) => Promise<unknown> | undefined)[] = [];
  return {
    async emit(value) {
      await Promise.all(listeners.map((listener) => listener(value)));
    },
    listen(listener) {
      listeners.push(listener);
    },
  };
}
