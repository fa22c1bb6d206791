// Readers for the per-video annotation files of Aff-Wild2 (ABAW_FORMATS.md): a header line, then data line k (file
// line k+1) for frame k, i.e. image {k:D5}.jpg. Files are streamed line by line; values are parsed with the invariant
// culture. Tolerated: CRLF or LF endings, a UTF-8 byte-order mark, spaces around values, blank lines at the very end,
// header names in any letter case. Anything else throws AnnotationFormatException naming file, line and expectation:
// a header-only file, a line longer than the cap, and a path that is not a regular file included.
using System.Globalization;
using AffectMae.Metrics;

namespace AffectMae.Core.Data;

/// <summary>Reads ABAW annotation files into per-video records.</summary>
public static class AnnotationReader
{
    /// <summary>The longest line a reader accepts by default, in characters: ABAW lines hold a few dozen.</summary>
    public const int DefaultMaxLineLength = 4096;

    /// <summary>Header of a valence-arousal file.</summary>
    public static IReadOnlyList<string> ValenceArousalHeader { get; } = ["valence", "arousal"];

    private const string ValenceArousalFields = "2 comma-separated values (valence,arousal)";
    private static readonly string ExpressionValue =
        $"a class index 0..{AffectLabels.ExpressionClassCount - 1} or -1 (unlabelled)";
    private static readonly string ActionUnitFields =
        $"{ActionUnitAnnotation.Columns} comma-separated values ({string.Join(',', AffectLabels.ActionUnitNames)}) or -1 (unlabelled)";

    /// <summary>Reads the file with lines of at most <see cref="DefaultMaxLineLength"/> characters; see <see cref="ReadValenceArousal(string, int)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The annotation.</returns>
    public static ValenceArousalAnnotation ReadValenceArousal(string path) => ReadValenceArousal(path, DefaultMaxLineLength);

    /// <summary>Reads a valence-arousal file (header <c>valence,arousal</c>; each line two floats).</summary>
    /// <param name="path">The file, <c>VA_Estimation_Challenge/&lt;split&gt;/&lt;video&gt;.txt</c>; the video name is its name without extension.</param>
    /// <param name="maxLineLength">The longest line accepted, in characters; see <see cref="DefaultMaxLineLength"/>.</param>
    /// <returns>The values, row-major [frames, 2]. A value below −1 (the files write −5) is kept as read and counts as unlabelled.</returns>
    /// <exception cref="AnnotationFormatException">
    /// Wrong header, no data line, a line longer than <paramref name="maxLineLength"/>, a line without exactly two values,
    /// a value that is not a finite number, or a value above 1.
    /// </exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a folder, FIFO, socket or device, not a regular file; the message names it.</exception>
    public static ValenceArousalAnnotation ReadValenceArousal(string path, int maxLineLength)
    {
        using var lines = new AnnotationLineReader(path, maxLineLength);
        lines.ReadHeader(ValenceArousalHeader);
        var values = new List<float>();
        Span<Range> fields = stackalloc Range[ValenceArousalAnnotation.Columns + 1];
        while (lines.TryReadDataLine(out var line))
        {
            lines.SplitExactly(line, fields, ValenceArousalAnnotation.Columns, ValenceArousalFields);
            values.Add(ParseValenceArousal(lines, line[fields[0]], "valence"));
            values.Add(ParseValenceArousal(lines, line[fields[1]], "arousal"));
        }
        return new ValenceArousalAnnotation(VideoName(path), values.ToArray());
    }

    /// <summary>Reads the file with lines of at most <see cref="DefaultMaxLineLength"/> characters; see <see cref="ReadExpression(string, int)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The annotation.</returns>
    public static ExpressionAnnotation ReadExpression(string path) => ReadExpression(path, DefaultMaxLineLength);

    /// <summary>Reads an expression file (header <c>Neutral,Anger,…,Other</c>; each line one class index).</summary>
    /// <param name="path">The file, <c>EXPR_Recognition_Challenge/&lt;split&gt;/&lt;video&gt;.txt</c>.</param>
    /// <param name="maxLineLength">The longest line accepted, in characters; see <see cref="DefaultMaxLineLength"/>.</param>
    /// <returns>The class index per frame, 0..7 or −1 (unlabelled).</returns>
    /// <exception cref="AnnotationFormatException">
    /// Wrong header, no data line, a line longer than <paramref name="maxLineLength"/>, a line without exactly one value,
    /// or a value that is not 0..7 or −1.
    /// </exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a folder, FIFO, socket or device, not a regular file; the message names it.</exception>
    public static ExpressionAnnotation ReadExpression(string path, int maxLineLength)
    {
        using var lines = new AnnotationLineReader(path, maxLineLength);
        lines.ReadHeader(AffectLabels.ExpressionNames);
        var labels = new List<int>();
        Span<Range> fields = stackalloc Range[2];
        while (lines.TryReadDataLine(out var line))
        {
            lines.SplitExactly(line, fields, 1, "1 value, " + ExpressionValue);
            if (!int.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out int label)
                || (!AffectLabels.IsUnlabelledExpression(label) && (uint)label >= AffectLabels.ExpressionClassCount))
                throw lines.Error(ExpressionValue, AnnotationLineReader.Quote(line));
            labels.Add(label);
        }
        return new ExpressionAnnotation(VideoName(path), labels.ToArray());
    }

    /// <summary>Reads the file with lines of at most <see cref="DefaultMaxLineLength"/> characters; see <see cref="ReadActionUnits(string, int)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The annotation.</returns>
    public static ActionUnitAnnotation ReadActionUnits(string path) => ReadActionUnits(path, DefaultMaxLineLength);

    /// <summary>Reads an action-unit file (header <c>AU1,AU2,…,AU26</c>; each line twelve 0/1 values).</summary>
    /// <param name="path">The file, <c>AU_Detection_Challenge/&lt;split&gt;/&lt;video&gt;.txt</c>.</param>
    /// <param name="maxLineLength">The longest line accepted, in characters; see <see cref="DefaultMaxLineLength"/>.</param>
    /// <returns>
    /// The values, row-major [frames, 12], each 0, 1 or −1. An unlabelled frame is a line of twelve −1; a line holding a
    /// single −1 is accepted as the same.
    /// </returns>
    /// <exception cref="AnnotationFormatException">
    /// Wrong header, no data line, a line longer than <paramref name="maxLineLength"/>, a line without twelve values, or a
    /// value other than 0, 1 and −1.
    /// </exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a folder, FIFO, socket or device, not a regular file; the message names it.</exception>
    public static ActionUnitAnnotation ReadActionUnits(string path, int maxLineLength)
    {
        const int columns = ActionUnitAnnotation.Columns;
        using var lines = new AnnotationLineReader(path, maxLineLength);
        lines.ReadHeader(AffectLabels.ActionUnitNames);
        var values = new List<int>();
        Span<Range> fields = stackalloc Range[columns + 1];
        while (lines.TryReadDataLine(out var line))
        {
            if (line.SequenceEqual("-1"))
            {
                for (int j = 0; j < columns; j++) values.Add(AffectLabels.UnlabelledActionUnit);
                continue;
            }
            lines.SplitExactly(line, fields, columns, ActionUnitFields);
            for (int j = 0; j < columns; j++)
            {
                var field = line[fields[j]];
                if (!int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
                    || (value is not (0 or 1) && !AffectLabels.IsUnlabelledActionUnit(value)))
                    throw lines.Error($"{AffectLabels.ActionUnitNames[j]} to be 0, 1 or -1 (unlabelled)", AnnotationLineReader.Quote(field.Trim()));
                values.Add(value);
            }
        }
        return new ActionUnitAnnotation(VideoName(path), values.ToArray());
    }

    /// <summary>Reads the annotation file of <paramref name="task"/> with the default line cap; see <see cref="Read(AffectTask, string, int)"/>.</summary>
    /// <param name="task">Which format the file is in.</param>
    /// <param name="path">The file.</param>
    /// <returns>The annotation.</returns>
    public static VideoAnnotation Read(AffectTask task, string path) => Read(task, path, DefaultMaxLineLength);

    /// <summary>Reads the annotation file of <paramref name="task"/> at <paramref name="path"/>.</summary>
    /// <param name="task">Which format the file is in.</param>
    /// <param name="path">The file.</param>
    /// <param name="maxLineLength">The longest line accepted, in characters; see <see cref="DefaultMaxLineLength"/>.</param>
    /// <returns>A <see cref="ValenceArousalAnnotation"/>, <see cref="ExpressionAnnotation"/> or <see cref="ActionUnitAnnotation"/>.</returns>
    /// <exception cref="AnnotationFormatException">A malformed line, as for the task's reader.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a folder, FIFO, socket or device, not a regular file; the message names it.</exception>
    public static VideoAnnotation Read(AffectTask task, string path, int maxLineLength) => task switch
    {
        AffectTask.ValenceArousal => ReadValenceArousal(path, maxLineLength),
        AffectTask.Expression => ReadExpression(path, maxLineLength),
        AffectTask.ActionUnits => ReadActionUnits(path, maxLineLength),
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown ABAW task."),
    };

    private static float ParseValenceArousal(AnnotationLineReader lines, ReadOnlySpan<char> field, string name)
    {
        if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
            throw lines.Error($"a number for {name}", AnnotationLineReader.Quote(field.Trim()));
        if (value > 1)
            throw lines.Error($"{name} in [-1, 1], or below -1 for an unlabelled frame", AnnotationLineReader.Quote(field.Trim()));
        return value;
    }

    private static string VideoName(string path) => Path.GetFileNameWithoutExtension(path);
}
