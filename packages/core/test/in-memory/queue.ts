import type { Transaction } from "@bgr/db";
import type { TaskQueue } from "../../src/queue/task-queue.ts";
import type { QueueKey, QueuePayloads } from "../../src/queue/queues.ts";

/** Records what a service enqueues (pg-boss itself is covered by task-queue.medium.test.ts). */
export class RecordingQueue implements Pick<TaskQueue, "enqueue"> {
  readonly enqueued: { key: QueueKey; payload: unknown }[] = [];

  async enqueue<K extends QueueKey>(_tx: Transaction, key: K, payloads: QueuePayloads[K][]): Promise<void> {
    for (const payload of payloads) this.enqueued.push({ key, payload });
  }

  of<K extends QueueKey>(key: K): QueuePayloads[K][] {
    return this.enqueued.filter((task) => task.key === key).map((task) => task.payload as QueuePayloads[K]);
  }
}
