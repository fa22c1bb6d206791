using System.Diagnostics;
using System.Globalization;
using System.Text;
using AffectMae.Models.IO;
using AffectMae.Models.Pipeline;

namespace AffectMae.Video.Recognition;

/// <summary>
/// Per-frame affect of a video as CSV: <see cref="AffectCsv"/>'s columns with the time and the face box after the
/// frame number, <c>frame,timestamp,face_x,face_y,face_width,face_height,face_found,valence,…</c>. <c>timestamp</c> is in seconds
/// (empty when the source has none); the box is in frame pixels (left, top, width, height) and empty without a face,
/// as are all the values of such a row.
/// </summary>
public static class VideoAffectCsv
{
    /// <summary>The columns written between <c>frame</c> and the rest of <see cref="AffectCsv.Columns"/>.</summary>
    public static IReadOnlyList<string> VideoColumns { get; } = ["timestamp", "face_x", "face_y", "face_width", "face_height"];

    /// <summary>The header line.</summary>
    public static string Header => AffectCsv.Header(VideoColumns);

    /// <summary>The line of one frame.</summary>
    /// <param name="row">The frame.</param>
    public static string Row(VideoFrameAffect row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return AffectCsv.Row(row.Affect, VideoValues(row), VideoColumns.Count);
    }

    /// <summary>The values of <see cref="VideoColumns"/> for one frame.</summary>
    /// <param name="row">The frame.</param>
    public static IReadOnlyList<string> VideoValues(VideoFrameAffect row)
    {
        ArgumentNullException.ThrowIfNull(row);
        string time = row.Timestamp is { } t ? Seconds(t) : "";
        if (row.Box is not { } box)
            return [time, "", "", "", ""];
        return [time, Number(box.X), Number(box.Y), Number(box.Width), Number(box.Height)];
    }

    /// <summary>A time in seconds, exact to the tick (100 ns).</summary>
    public static string Seconds(TimeSpan time) => (time.Ticks / (decimal)TimeSpan.TicksPerSecond).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes the header and <paramref name="rows"/> to <paramref name="path"/> as they come, under a temporary name that
    /// is renamed into place at the end: a run that fails or is cancelled leaves any earlier file untouched.
    /// </summary>
    /// <param name="path">The CSV file to create or replace.</param>
    /// <param name="rows">The rows, e.g. <see cref="VideoAffectRecognizer.PredictAsync"/>'s.</param>
    /// <param name="expectedFrames">The frame count the source announced, passed on in the progress reports; or null.</param>
    /// <param name="progress">Receives frames done and throughput after each row is written.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>Rows written, rows without a face and the time taken (<see cref="VideoAffectSummary.Decoding"/> is left null: the rows' source fills it in).</returns>
    public static async Task<VideoAffectSummary> WriteAsync(string path, IAsyncEnumerable<VideoFrameAffect> rows, int? expectedFrames = null,
        IProgress<VideoProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(rows);
        var clock = Stopwatch.StartNew();
        int frames = 0, withoutFace = 0;
        await AtomicFile.WriteAsync(path, async stream =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            await writer.WriteLineAsync(Header).ConfigureAwait(false);
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await writer.WriteLineAsync(Row(row)).ConfigureAwait(false);
                frames++;
                if (!row.FaceFound) withoutFace++;
                progress?.Report(new VideoProgress(frames, withoutFace, expectedFrames, clock.Elapsed));
            }
        }).ConfigureAwait(false);
        return new VideoAffectSummary(frames, withoutFace, clock.Elapsed, Decoding: null);
    }

    private static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
