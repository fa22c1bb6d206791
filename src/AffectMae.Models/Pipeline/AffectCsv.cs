using System.Globalization;
using System.Text;
using AffectMae.Metrics;
using AffectMae.Models.IO;

namespace AffectMae.Models.Pipeline;

/// <summary>
/// Per-frame results as CSV, one row a frame under a named header:
/// <c>frame,face_found,valence,arousal,expression,p_Neutral,…,p_Other,p_AU1,…,p_AU26,AU1,…,AU26</c>. Numbers use the
/// invariant culture and round-trip (a float read back is the float written); a frame without a face leaves every
/// value empty. Callers may add their own columns (a time stamp, a face box) right after <c>frame</c>, which stays first.
/// </summary>
public static class AffectCsv
{
    /// <summary>The standard columns, in order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "frame", "face_found", "valence", "arousal", "expression",
        .. AffectLabels.ExpressionNames.Select(n => $"p_{n}"),
        .. AffectLabels.ActionUnitNames.Select(n => $"p_{n}"),
        .. AffectLabels.ActionUnitNames,
    ];

    /// <summary>Writes the header and one row a frame to <paramref name="path"/>, atomically (a temporary file, then a rename).</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="frames">The rows.</param>
    /// <param name="extraColumns">Names of the caller's columns, written after <c>frame</c>; or null.</param>
    /// <param name="extraValues">The caller's values of a row, as many as <paramref name="extraColumns"/>; or null.</param>
    public static void Write(string path, IEnumerable<FrameAffect> frames, IReadOnlyList<string>? extraColumns = null, Func<FrameAffect, IReadOnlyList<string>>? extraValues = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            Write(writer, frames, extraColumns, extraValues);
        });
    }

    /// <summary>Writes the header and one row a frame to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where the text goes.</param>
    /// <param name="frames">The rows.</param>
    /// <param name="extraColumns">Names of the caller's columns, written after <c>frame</c>; or null.</param>
    /// <param name="extraValues">The caller's values of a row, as many as <paramref name="extraColumns"/>; or null.</param>
    public static void Write(TextWriter writer, IEnumerable<FrameAffect> frames, IReadOnlyList<string>? extraColumns = null, Func<FrameAffect, IReadOnlyList<string>>? extraValues = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(frames);
        writer.WriteLine(Header(extraColumns));
        foreach (var frame in frames)
            writer.WriteLine(Row(frame, extraValues?.Invoke(frame), extraColumns?.Count ?? 0));
    }

    /// <summary>The header line.</summary>
    /// <param name="extraColumns">Names of the caller's columns, written after <c>frame</c>; or null.</param>
    public static string Header(IReadOnlyList<string>? extraColumns = null) => string.Join(",", [Columns[0], .. extraColumns ?? [], .. Columns.Skip(1)]);

    /// <summary>The line of one frame.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="extraValues">The caller's values, written after the frame number; or null.</param>
    /// <param name="extraCount">How many the header announced.</param>
    /// <exception cref="ArgumentException">The caller's values do not match their columns.</exception>
    public static string Row(FrameAffect frame, IReadOnlyList<string>? extraValues = null, int extraCount = 0)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if ((extraValues?.Count ?? 0) != extraCount)
            throw new ArgumentException($"Frame {frame.Frame} has {extraValues?.Count ?? 0} values for {extraCount} extra columns.", nameof(extraValues));
        var cells = new List<string>(Columns.Count + extraCount);
        cells.Add(frame.Frame.ToString(CultureInfo.InvariantCulture));
        cells.AddRange(extraValues ?? []);
        cells.Add(frame.FaceFound ? "1" : "0");
        cells.Add(Number(frame.Valence));
        cells.Add(Number(frame.Arousal));
        cells.Add(frame.ExpressionName ?? "");
        cells.AddRange(Values(frame.ExpressionProbabilities, AffectLabels.ExpressionClassCount, Number));
        cells.AddRange(Values(frame.ActionUnitProbabilities, AffectLabels.ActionUnitCount, Number));
        cells.AddRange(Values(frame.ActionUnits, AffectLabels.ActionUnitCount, d => d ? "1" : "0"));
        return string.Join(",", cells);
    }

    private static IEnumerable<string> Values<T>(IReadOnlyList<T> values, int count, Func<T, string> format) =>
        values.Count == count ? values.Select(format) : Enumerable.Repeat("", count);

    private static string Number(float value) => float.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);
}
