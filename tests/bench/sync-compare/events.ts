/**
 * Node's EventEmitter, the part PouchDB uses, for the page bundle: pouchdb-browser imports
 * 'events' and leaves the polyfill to the app's bundler (the `events` package is not installed
 * here). Its methods are made enumerable, as Node's are: PouchDB copies them onto its
 * constructor with Object.keys(EventEmitter.prototype).
 */

type Listener = (...args: unknown[]) => void;
/** A `once` wrapper remembers what it wraps, so removeListener(original) finds it. */
type Registered = Listener & { listener?: Listener };

export default class EventEmitter {
	/**
	 * Made on first use, as Node's are: PouchDB's own classes (createClass) never call this
	 * constructor, so a field initialiser would not run for them.
	 */
	private listenerMap?: Map<string | symbol, Registered[]>;

	private get registered(): Map<string | symbol, Registered[]> {
		this.listenerMap ??= new Map();
		return this.listenerMap;
	}

	static listenerCount(emitter: EventEmitter, name: string | symbol): number {
		return emitter.listenerCount(name);
	}

	on(name: string | symbol, listener: Listener): this {
		this.registered.set(name, [...(this.registered.get(name) ?? []), listener]);
		return this;
	}

	addListener(name: string | symbol, listener: Listener): this {
		return this.on(name, listener);
	}

	once(name: string | symbol, listener: Listener): this {
		const wrapper: Registered = (...args) => {
			this.removeListener(name, wrapper);
			listener.apply(this, args);
		};
		wrapper.listener = listener;
		return this.on(name, wrapper);
	}

	removeListener(name: string | symbol, listener: Listener): this {
		const list = this.registered.get(name) ?? [];
		// The last one added goes first, as in Node.
		const index = list.findLastIndex((fn) => fn === listener || fn.listener === listener);
		if (index !== -1) this.registered.set(name, list.toSpliced(index, 1));
		return this;
	}

	off(name: string | symbol, listener: Listener): this {
		return this.removeListener(name, listener);
	}

	removeAllListeners(name?: string | symbol): this {
		if (name === undefined) this.registered.clear();
		else this.registered.delete(name);
		return this;
	}

	/** Listeners run in order on a copy: one that removes itself does not skip the next. */
	emit(name: string | symbol, ...args: unknown[]): boolean {
		const list = this.registered.get(name) ?? [];
		if (list.length === 0 && name === 'error') {
			throw args[0] instanceof Error ? args[0] : new Error(`unhandled 'error' event`);
		}
		for (const listener of list) listener.apply(this, args);
		return list.length > 0;
	}

	listeners(name: string | symbol): Listener[] {
		return (this.registered.get(name) ?? []).map((fn) => fn.listener ?? fn);
	}

	listenerCount(name: string | symbol): number {
		return this.registered.get(name)?.length ?? 0;
	}

	/** Node warns past ten listeners; there is nothing to warn about here. */
	setMaxListeners(): this {
		return this;
	}
}

for (const key of Object.getOwnPropertyNames(EventEmitter.prototype)) {
	if (key !== 'constructor')
		Object.defineProperty(EventEmitter.prototype, key, { enumerable: true });
}
