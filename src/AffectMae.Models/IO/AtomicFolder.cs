namespace AffectMae.Models.IO;

/// <summary>Writes a folder under a temporary name next to its target, then swaps it into place.</summary>
public static class AtomicFolder
{
    /// <summary>
    /// Fills a fresh temporary folder with <paramref name="write"/>, then replaces <paramref name="target"/> with it. If
    /// anything fails, the temporary folder is deleted and any previous folder at <paramref name="target"/> is left as it was.
    /// </summary>
    public static void Replace(string target, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        ReplaceAsync(target, temporary =>
        {
            write(temporary);
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();   // completes synchronously: nothing is awaited
    }

    /// <summary><see cref="Replace"/> for a writer that awaits (files written as they are produced); a failure or cancellation leaves any previous folder as it was.</summary>
    public static async Task ReplaceAsync(string target, Func<string, Task> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(target);
        string parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        string temporary = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        string retired = temporary + ".old";
        Directory.CreateDirectory(temporary);
        try
        {
            await write(temporary).ConfigureAwait(false);
            if (Directory.Exists(full)) Directory.Move(full, retired);
            Directory.Move(temporary, full);
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
            if (Directory.Exists(retired)) Directory.Delete(retired, recursive: true);
        }
    }
}
