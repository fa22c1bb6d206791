namespace AffectMae.Testing;

/// <summary>Runs code under a time limit, so a reader that hangs (on a FIFO, in a loop) fails its test instead of the whole run.</summary>
internal static class TimeLimit
{
    /// <summary>Runs <paramref name="action"/> on the thread pool and returns what it threw, or null.</summary>
    /// <exception cref="TimeoutException">It is still running after <paramref name="limit"/>.</exception>
    public static Exception? Run(TimeSpan limit, Action action)
    {
        var task = Task.Run(action);
        if (Task.WhenAny(task, Task.Delay(limit)).GetAwaiter().GetResult() != task)
            throw new TimeoutException($"Still running after {limit.TotalSeconds} s.");
        return task.Exception?.InnerException;
    }
}
