namespace AffectMae.Models.Data;

/// <summary>
/// Stages batches 0 … n−1 on worker threads and hands them out strictly in index order. Workers claim the lowest
/// unclaimed index, so the batches in flight are always the next ones the consumer needs; a semaphore allows at most
/// <c>prefetch</c> batches staged or staging beyond those taken. Each batch has its own completion slot, so worker timing
/// never changes the order, and a worker's exception is rethrown to the consumer when it reaches that batch.
/// </summary>
internal sealed class PrefetchPipeline<T> : IDisposable where T : class
{
    private readonly TaskCompletionSource<T>?[] slots;
    private readonly Func<int, CancellationToken, T> stage;
    private readonly SemaphoreSlim permits;
    private readonly CancellationTokenSource stop;
    private readonly Task[] workers;
    private int lastClaimed = -1;
    private bool disposed;

    public PrefetchPipeline(int count, int workerCount, int prefetch, Func<int, CancellationToken, T> stage, CancellationToken cancellationToken)
    {
        this.stage = stage;
        slots = new TaskCompletionSource<T>?[count];
        for (int k = 0; k < count; k++) slots[k] = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        permits = new SemaphoreSlim(prefetch);
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        workers = new Task[Math.Min(workerCount, count)];
        for (int i = 0; i < workers.Length; i++)
            workers[i] = Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Waits for batch <paramref name="k"/> (taken in order 0, 1, …) and frees its slot for the next prefetch.</summary>
    /// <exception cref="OperationCanceledException">The token passed at construction was cancelled.</exception>
    public T Take(int k)
    {
        stop.Token.ThrowIfCancellationRequested();     // even when batch k is ready
        var task = slots[k]!.Task;
        Task.WaitAny([task], stop.Token);          // throws when cancelled; a faulted task just completes the wait
        slots[k] = null;
        permits.Release();
        return task.GetAwaiter().GetResult();      // rethrows the worker's own exception, message intact
    }

    /// <summary>Stops the workers and waits until none is running; batches being staged are abandoned.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        stop.Cancel();
        Task.WaitAll(workers);                     // Work never throws
        permits.Dispose();
        stop.Dispose();
    }

    private void Work()
    {
        var token = stop.Token;
        while (true)
        {
            try
            {
                permits.Wait(token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            int k = Interlocked.Increment(ref lastClaimed);
            if (k >= slots.Length) return;
            var slot = slots[k]!;
            try
            {
                slot.TrySetResult(stage(k, token));
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                slot.TrySetCanceled(token);
                return;
            }
            catch (Exception e)                    // any failure belongs to the consumer, who sees it at batch k
            {
                slot.TrySetException(e);
            }
        }
    }
}
