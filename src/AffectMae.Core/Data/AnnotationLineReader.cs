// Line-level reading shared by the three annotation readers: header check, CRLF/LF, trailing whitespace, blank lines at
// the end of the file, and field splitting without allocation. One string per line (StreamReader.ReadLine) is the only
// per-line allocation; fields are spans of it.
using System.Text;

namespace AffectMae.Core.Data;

internal sealed class AnnotationLineReader : IDisposable
{
    private const int BufferSize = 1 << 16;
    private readonly StreamReader reader;

    public AnnotationLineReader(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FilePath = path;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, BufferSize);
    }

    public string FilePath { get; }

    /// <summary>1-based number of the line read last; the header is line 1, so a data line's frame number is LineNumber − 1.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Reads line 1 and checks it holds exactly <paramref name="names"/>, comma-separated (each name trimmed, case ignored).</summary>
    public void ReadHeader(IReadOnlyList<string> names)
    {
        string? line = reader.ReadLine();
        LineNumber = 1;
        string expected = $"the header \"{string.Join(',', names)}\"";
        if (line is null) throw Error(expected, "the end of the file (the file is empty)");
        var text = line.AsSpan().Trim();
        Span<Range> fields = stackalloc Range[names.Count + 1];
        bool matches = text.Split(fields, ',') == names.Count;
        for (int i = 0; matches && i < names.Count; i++)
            matches = text[fields[i]].Trim().Equals(names[i], StringComparison.OrdinalIgnoreCase);
        if (!matches) throw Error(expected, Quote(text));
    }

    /// <summary>
    /// The next data line with surrounding whitespace removed, or <see langword="false"/> at the end of the file. Blank
    /// lines are accepted only at the end of the file: a blank line followed by data would shift every later frame.
    /// </summary>
    public bool TryReadDataLine(out ReadOnlySpan<char> line)
    {
        int firstBlank = 0;
        while (reader.ReadLine() is { } text)
        {
            LineNumber++;
            var trimmed = text.AsSpan().Trim();
            if (trimmed.IsEmpty)
            {
                if (firstBlank == 0) firstBlank = LineNumber;
                continue;
            }
            if (firstBlank != 0)
                throw new AnnotationFormatException(
                    FilePath, firstBlank, "a data line (blank lines are allowed only at the end of the file)", "an empty line");
            line = trimmed;
            return true;
        }
        line = default;
        return false;
    }

    /// <summary>Splits <paramref name="line"/> at commas into exactly <paramref name="count"/> fields, or throws.</summary>
    /// <param name="line">The data line.</param>
    /// <param name="fields">Destination with room for <paramref name="count"/> + 1 ranges.</param>
    /// <param name="count">The number of fields the line must hold.</param>
    /// <param name="expected">What the line should hold, for the message.</param>
    public void SplitExactly(ReadOnlySpan<char> line, Span<Range> fields, int count, string expected)
    {
        int found = line.Split(fields[..(count + 1)], ',');
        if (found != count)
        {
            int actual = line.Count(',') + 1;
            throw Error(expected, $"{actual} value{(actual == 1 ? "" : "s")}: {Quote(line)}");
        }
    }

    public AnnotationFormatException Error(string expected, string actual) => new(FilePath, LineNumber, expected, actual);

    /// <summary>The text in double quotes, shortened to 60 characters.</summary>
    public static string Quote(ReadOnlySpan<char> text)
        => text.Length <= 60 ? $"\"{text}\"" : $"\"{text[..57]}...\"";

    public void Dispose() => reader.Dispose();
}
