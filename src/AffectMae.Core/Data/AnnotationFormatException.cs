// Thrown by AnnotationReader for a file that does not follow the ABAW annotation format. The message always names the
// file, the 1-based line (the header is line 1, frame k is line k+1) and what was expected there.
using AffectMae.Core.IO;

namespace AffectMae.Core.Data;

/// <summary>A malformed line in an ABAW annotation file.</summary>
public sealed class AnnotationFormatException : FormatException
{
    /// <summary>Creates the exception; the message reads "<c>path, line n: expected …, got ….</c>".</summary>
    /// <param name="filePath">The annotation file.</param>
    /// <param name="lineNumber">1-based line number in the file; the header is line 1.</param>
    /// <param name="expected">What the line should have held, e.g. <c>a class index 0..7 or -1 (unlabelled)</c>.</param>
    /// <param name="actual">What it held instead, already quoted (with <see cref="PrintableText.Quote"/>) or described.</param>
    public AnnotationFormatException(string filePath, int lineNumber, string expected, string actual)
        : base($"{PrintableText.Escape(filePath)}, line {lineNumber}: expected {expected}, got {actual}.")
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Expected = expected;
    }

    /// <summary>The annotation file.</summary>
    public string FilePath { get; }

    /// <summary>1-based line number of the bad line; the header is line 1, frame k is line k+1.</summary>
    public int LineNumber { get; }

    /// <summary>What the line should have held.</summary>
    public string Expected { get; }
}
