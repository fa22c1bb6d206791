using AffectMae.Core.Data;

namespace AffectMae.Core.Tests.Data;

/// <summary>A fresh Aff-Wild2-style root folder under the temp directory, deleted on dispose.</summary>
internal sealed class TempAbawRoot : IDisposable
{
    public TempAbawRoot()
    {
        Root = Path.Combine(Path.GetTempPath(), "affectmae-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Layout = new AbawLayout(Root);
    }

    public string Root { get; }

    public AbawLayout Layout { get; }

    /// <summary>Writes raw text (no newline translation) to a file under the root and returns its full path.</summary>
    public string WriteText(string relativePath, string text)
    {
        string path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Creates empty frame images cropped_aligned/&lt;video&gt;/{n:D5}.jpg for the given frame numbers.</summary>
    public void AddFrames(string video, params int[] frameNumbers)
    {
        Directory.CreateDirectory(Layout.FramesFolder(video));
        foreach (int frame in frameNumbers) File.WriteAllBytes(Layout.FramePath(video, frame), []);
    }

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
