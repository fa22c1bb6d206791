using System.Globalization;
using AffectMae.Models.Pipeline;

namespace AffectMae.Video.Recognition;

/// <summary>
/// Per-frame affect of a video as CSV: <see cref="AffectCsv"/>'s columns after the time and the face box,
/// <c>timestamp,face_x,face_y,face_width,face_height,frame,face_found,valence,…</c>. <c>timestamp</c> is in seconds
/// (empty when the source has none); the box is in frame pixels (left, top, width, height) and empty without a face,
/// as are all the values of such a row.
/// </summary>
public static class VideoAffectCsv
{
    /// <summary>The columns written before <see cref="AffectCsv.Columns"/>.</summary>
    public static IReadOnlyList<string> LeadingColumns { get; } = ["timestamp", "face_x", "face_y", "face_width", "face_height"];

    /// <summary>The header line.</summary>
    public static string Header => AffectCsv.Header(LeadingColumns);

    /// <summary>The line of one frame.</summary>
    /// <param name="row">The frame.</param>
    public static string Row(VideoFrameAffect row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return AffectCsv.Row(row.Affect, LeadingValues(row), LeadingColumns.Count);
    }

    /// <summary>The values of <see cref="LeadingColumns"/> for one frame.</summary>
    /// <param name="row">The frame.</param>
    public static IReadOnlyList<string> LeadingValues(VideoFrameAffect row)
    {
        ArgumentNullException.ThrowIfNull(row);
        string time = row.Timestamp is { } t ? Seconds(t) : "";
        if (row.Box is not { } box)
            return [time, "", "", "", ""];
        return [time, Number(box.X), Number(box.Y), Number(box.Width), Number(box.Height)];
    }

    /// <summary>A time in seconds, exact to the tick (100 ns).</summary>
    public static string Seconds(TimeSpan time) => (time.Ticks / (decimal)TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture);

    private static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
