namespace AffectMae.Models.IO;

/// <summary>Writes a file under a temporary name in the same folder, then renames it into place.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Calls <paramref name="write"/> on a temporary file next to <paramref name="path"/>, flushes it to disk and
    /// renames it over <paramref name="path"/>. If anything fails, the temporary file is deleted and any previous file
    /// at <paramref name="path"/> is left as it was.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteAsync(path, stream =>
        {
            write(stream);
            return Task.CompletedTask;
        }, useAsync: false).GetAwaiter().GetResult();   // completes synchronously: nothing is awaited
    }

    /// <summary>
    /// <see cref="Write"/> for a writer that awaits (rows written as they are produced): the same temporary file,
    /// flush and rename; a failure or cancellation deletes the temporary file and leaves any previous file as it was.
    /// </summary>
    public static Task WriteAsync(string path, Func<Stream, Task> write) => WriteAsync(path, write, useAsync: true);

    private static async Task WriteAsync(string path, Func<Stream, Task> write, bool useAsync)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync))
            {
                await write(stream).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
