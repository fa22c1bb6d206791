// Line-level reading shared by the three annotation readers: header check, CRLF/LF, trailing whitespace, blank lines at
// the end of the file, field splitting without allocation, and a cap on the line length, so that a file without line
// breaks (or a link to /dev/zero) fails on its first line instead of filling memory. Lines are read into one reused
// buffer; a returned span is valid until the next read.
using System.Text;
using AffectMae.Core.IO;

namespace AffectMae.Core.Data;

internal sealed class AnnotationLineReader : IDisposable
{
    private const int BufferSize = 1 << 12;   // small: an ABAW file is a few hundred KB, and large buffers would land on the LOH
    private readonly StreamReader reader;
    private readonly int maxLineLength;
    private readonly char[] buffer = new char[BufferSize];
    private int position, filled;
    private bool skipLineFeed;           // the last line ended in '\r'; a '\n' right after it belongs to that line end
    private char[] line = new char[256];
    private int dataLines;

    public AnnotationLineReader(string path, int maxLineLength)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLineLength);
        FilePath = path;
        this.maxLineLength = maxLineLength;
        var stream = RegularFile.OpenRead(path, "Annotation file", BufferSize, FileOptions.SequentialScan);
        // UTF-8 only; StreamReader skips a UTF-8 byte-order mark. Invalid bytes become U+FFFD, which no field accepts.
        reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, BufferSize);
    }

    public string FilePath { get; }

    /// <summary>1-based number of the line read last; the header is line 1, so a data line's frame number is LineNumber − 1.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Reads line 1 and checks it holds exactly <paramref name="names"/>, comma-separated (each name trimmed, case ignored).</summary>
    public void ReadHeader(IReadOnlyList<string> names)
    {
        string expected = $"the header \"{string.Join(',', names)}\"";
        if (!TryReadLine(out var line)) throw new AnnotationFormatException(FilePath, 1, expected, "the end of the file (the file is empty)");
        LineNumber = 1;
        var text = line.Trim();
        Span<Range> fields = stackalloc Range[names.Count + 1];
        bool matches = text.Split(fields, ',') == names.Count;
        for (int i = 0; matches && i < names.Count; i++)
            matches = text[fields[i]].Trim().Equals(names[i], StringComparison.OrdinalIgnoreCase);
        if (!matches) throw Error(expected, Quote(text));
    }

    /// <summary>
    /// The next data line with surrounding whitespace removed, or <see langword="false"/> at the end of the file. Blank
    /// lines are accepted only at the end of the file: a blank line followed by data would shift every later frame. A
    /// file with no data line at all is an error: it would be a video of no frames.
    /// </summary>
    public bool TryReadDataLine(out ReadOnlySpan<char> line)
    {
        int firstBlank = 0;
        while (TryReadLine(out var text))
        {
            LineNumber++;
            var trimmed = text.Trim();
            if (trimmed.IsEmpty)
            {
                if (firstBlank == 0) firstBlank = LineNumber;
                continue;
            }
            if (firstBlank != 0)
                throw new AnnotationFormatException(
                    FilePath, firstBlank, "a data line (blank lines are allowed only at the end of the file)", "an empty line");
            dataLines++;
            line = trimmed;
            return true;
        }
        if (dataLines == 0)
            throw new AnnotationFormatException(FilePath, 2, "a data line for frame 1", "the end of the file (the file holds only the header)");
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

    /// <summary>The text in double quotes, control characters escaped, shortened to 60 characters.</summary>
    public static string Quote(ReadOnlySpan<char> text) => PrintableText.Quote(text);

    public void Dispose() => reader.Dispose();

    /// <summary>
    /// The next line without its terminator (<c>\n</c>, <c>\r\n</c> or <c>\r</c>), as <see cref="StreamReader.ReadLine"/>
    /// splits lines, or <see langword="false"/> at the end of the file.
    /// </summary>
    /// <exception cref="AnnotationFormatException">The line is longer than the cap.</exception>
    private bool TryReadLine(out ReadOnlySpan<char> text)
    {
        int length = 0;
        bool started = false;
        while (true)
        {
            if (position == filled && !Fill())
            {
                text = line.AsSpan(0, length);
                return started;
            }
            if (skipLineFeed)
            {
                skipLineFeed = false;
                if (buffer[position] == '\n')
                {
                    position++;
                    continue;
                }
            }
            started = true;
            var available = buffer.AsSpan(position, filled - position);
            int end = available.IndexOfAny('\r', '\n');
            var chunk = end < 0 ? available : available[..end];
            if (length + chunk.Length > maxLineLength)
                throw new AnnotationFormatException(FilePath, LineNumber + 1, $"a line of at most {maxLineLength} characters",
                    $"a longer line; if the file is genuine, raise the cap ({nameof(AbawLayout)}.{nameof(AbawLayout.MaxAnnotationLineLength)}, "
                    + $"or the maxLineLength argument of {nameof(AnnotationReader)})");
            if (length + chunk.Length > line.Length) Array.Resize(ref line, Math.Min(maxLineLength, Math.Max(2 * line.Length, length + chunk.Length)));
            chunk.CopyTo(line.AsSpan(length));
            length += chunk.Length;
            if (end < 0)
            {
                position = filled;
                continue;
            }
            skipLineFeed = available[end] == '\r';
            position += end + 1;
            text = line.AsSpan(0, length);
            return true;
        }
    }

    private bool Fill()
    {
        position = 0;
        filled = reader.Read(buffer, 0, buffer.Length);
        return filled > 0;
    }
}
