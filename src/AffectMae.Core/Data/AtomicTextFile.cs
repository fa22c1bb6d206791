// All Data writers go through here: text is written to a temporary file in the target folder and renamed over the
// target only once complete, so a reader never sees half a file and a failed write leaves any old file untouched.
// (AffectMae.Models has its own AtomicFile; Core cannot reference Models.) Text is UTF-8 without a byte-order mark
// and lines end in "\n" on every platform, and numbers are formatted with the invariant culture.
using System.Globalization;
using System.Text;

namespace AffectMae.Core.Data;

internal static class AtomicTextFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static void Write(string path, Action<TextWriter> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using (var writer = new StreamWriter(stream, Utf8NoBom, 1 << 16, leaveOpen: true) { NewLine = "\n" })
                    write(writer);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Writes a float in its shortest round-trip invariant form (0.5, -0.25, 1E-05).</summary>
    public static void WriteInvariant(this TextWriter writer, float value)
    {
        Span<char> buffer = stackalloc char[32];
        if (!value.TryFormat(buffer, out int written, default, CultureInfo.InvariantCulture))
            throw new InvalidOperationException($"Could not format {value}.");
        writer.Write(buffer[..written]);
    }

    /// <summary>Writes an integer in invariant form (the minus sign is always '-').</summary>
    public static void WriteInvariant(this TextWriter writer, int value)
    {
        Span<char> buffer = stackalloc char[12];
        value.TryFormat(buffer, out int written, default, CultureInfo.InvariantCulture);
        writer.Write(buffer[..written]);
    }

    /// <summary>Writes the image location of a frame, <c>&lt;video&gt;/{frameNumber:D5}.jpg</c>.</summary>
    public static void WriteImageLocation(this TextWriter writer, string video, int frameNumber)
    {
        Span<char> buffer = stackalloc char[12];
        frameNumber.TryFormat(buffer, out int written, "D5", CultureInfo.InvariantCulture);
        writer.Write(video);
        writer.Write('/');
        writer.Write(buffer[..written]);
        writer.Write(".jpg");
    }
}
