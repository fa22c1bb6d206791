namespace AffectMae.Testing;

/// <summary>
/// A fresh folder for tests that write thousands of small files (the fuzz tests), deleted on dispose. It lives in
/// /dev/shm where that exists: on a disk mounted with discard, rewriting a file costs milliseconds, in memory a tenth.
/// </summary>
internal sealed class ScratchFolder : IDisposable
{
    public ScratchFolder(string prefix)
    {
        string parent = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        try
        {
            Path = Directory.CreateDirectory(System.IO.Path.Combine(parent, prefix + Guid.NewGuid().ToString("N"))).FullName;
        }
        catch (UnauthorizedAccessException)
        {
            Path = Directory.CreateTempSubdirectory(prefix).FullName;
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
