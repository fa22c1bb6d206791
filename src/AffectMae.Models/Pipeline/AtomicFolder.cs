namespace AffectMae.Models.Pipeline;

/// <summary>Writes a folder under a temporary name next to its target, then swaps it into place.</summary>
internal static class AtomicFolder
{
    /// <summary>Fills a fresh temporary folder with <paramref name="write"/>, then replaces <paramref name="target"/> with it.</summary>
    public static void Replace(string target, Action<string> write)
    {
        string full = Path.GetFullPath(target);
        string parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        string temporary = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        string retired = temporary + ".old";
        Directory.CreateDirectory(temporary);
        try
        {
            write(temporary);
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
