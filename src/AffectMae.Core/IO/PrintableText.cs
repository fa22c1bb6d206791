// Every message that quotes bytes read from a file goes through here, so a crafted file cannot send terminal escape
// sequences, bidirectional overrides or line breaks to whoever reads the error.
using System.Globalization;
using System.Text;

namespace AffectMae.Core.IO;

/// <summary>Makes text from a file safe to show in an exception message or a log line.</summary>
public static class PrintableText
{
    /// <summary>The longest quotation <see cref="Quote"/> gives by default, in characters of the original text.</summary>
    public const int DefaultQuoteLength = 60;

    /// <summary>
    /// Replaces every character a terminal could act on with a visible escape: <c>\t</c>, <c>\n</c>, <c>\r</c>, and
    /// <c>\uXXXX</c> for the other control characters (C0, DEL, C1), format characters (bidirectional overrides,
    /// zero-width characters, the byte-order mark), line and paragraph separators and unpaired surrogates. Every other
    /// character, backslash included, is kept as it is.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The escaped text; the same characters when nothing needed escaping.</returns>
    public static string Escape(ReadOnlySpan<char> text)
    {
        int first = IndexOfUnsafe(text);
        if (first < 0) return text.ToString();
        var escaped = new StringBuilder(text.Length + 16);
        escaped.Append(text[..first]);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                escaped.Append(c).Append(text[++i]);
                continue;
            }
            if (!IsUnsafe(c))
            {
                escaped.Append(c);
                continue;
            }
            escaped.Append(c switch
            {
                '\t' => @"\t",
                '\n' => @"\n",
                '\r' => @"\r",
                _ => @"\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
            });
        }
        return escaped.ToString();
    }

    /// <summary>
    /// The text in double quotes, escaped as by <see cref="Escape"/>, shortened to <paramref name="maxLength"/>
    /// characters (the last three being <c>...</c>) when longer.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="maxLength">The most characters of <paramref name="text"/> to show; at least 4.</param>
    /// <returns>For example <c>"abc\u001B[31m"</c>.</returns>
    public static string Quote(ReadOnlySpan<char> text, int maxLength = DefaultQuoteLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 4);
        return text.Length <= maxLength ? $"\"{Escape(text)}\"" : $"\"{Escape(text[..(maxLength - 3)])}...\"";
    }

    private static int IndexOfUnsafe(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is >= ' ' and < '\u007F') continue;   // printable ASCII, the common case
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (IsUnsafe(c)) return i;
        }
        return -1;
    }

    private static bool IsUnsafe(char c) =>
        char.IsSurrogate(c)   // a paired surrogate never gets here
        || char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
