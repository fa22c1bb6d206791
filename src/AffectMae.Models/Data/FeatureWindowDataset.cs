using AffectMae.Core.Data;
using AffectMae.Core.Segmentation;
using AffectMae.Metrics;
using AffectMae.Models.Temporal;
using static TorchSharp.torch;

namespace AffectMae.Models.Data;

/// <summary>
/// Windows of per-frame features for the temporal model (paper §3.3): every video is cut by a
/// <see cref="VideoSegmenter"/> into windows of w frames with stride s, and each non-empty window is one item.
/// </summary>
/// <remarks>
/// <para>Padding positions (past a video's last frame) get zero features, <c>valid = false</c> and the unlabelled
/// codes, so the masked losses ignore them.</para>
/// <para><b>Empty windows are not items.</b> The segmenter reports a window wholly past the end when n is a multiple of
/// s; it holds no frame, and a row of padding only would leave masked attention nothing to attend to. It is skipped in
/// training and evaluation alike. To stitch predictions, lay them out by <see cref="Window.Index"/> over
/// <see cref="Segment"/>(video), leave the rows of empty windows at zero, and call
/// <see cref="WindowStitcher"/>'s <c>Stitch</c>, which ignores padding positions.</para>
/// <para><b>Training windows without the tail.</b> With a segmenter built with <see cref="WindowTail.Drop"/> (the
/// authors' training windows) only the windows that fit wholly are items, and a video shorter than w gives none.</para>
/// </remarks>
public sealed class FeatureWindowDataset : IBatchDataset<StagedWindows, FeatureWindowBatch>
{
    private readonly VideoFeatures[] videos;
    private readonly WindowRef[] items;

    /// <summary>Segments every video and lists its non-empty windows, video by video in the given order.</summary>
    /// <param name="videos">The videos; all share one feature size D.</param>
    /// <param name="segmenter">Window length w and stride s (paper: 300 and 200).</param>
    /// <exception cref="ArgumentException">The list is empty, or feature sizes differ.</exception>
    public FeatureWindowDataset(IEnumerable<VideoFeatures> videos, VideoSegmenter segmenter)
    {
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentNullException.ThrowIfNull(segmenter);
        this.videos = [.. videos];
        if (this.videos.Length == 0)
            throw new ArgumentException("The dataset needs at least one video.", nameof(videos));
        FeatureDim = this.videos[0].FeatureDim;
        var odd = Array.Find(this.videos, v => v.FeatureDim != FeatureDim);
        if (odd is not null)
            throw new ArgumentException($"Video '{odd.Name}' has {odd.FeatureDim}-wide features; '{this.videos[0].Name}' has {FeatureDim}. All must match.", nameof(videos));
        Segmenter = segmenter;
        items = this.videos
            .SelectMany((video, v) => segmenter.Segment(video.FrameCount).Where(w => !w.IsEmpty).Select(w => new WindowRef(v, video.Name, w)))
            .ToArray();
    }

    /// <summary>The videos, in order.</summary>
    public IReadOnlyList<VideoFeatures> Videos => videos;

    /// <summary>The segmenter (w, s).</summary>
    public VideoSegmenter Segmenter { get; }

    /// <summary>Feature size D.</summary>
    public int FeatureDim { get; }

    /// <summary>Window length w.</summary>
    public int WindowLength => Segmenter.WindowLength;

    /// <summary>The items: every non-empty window, video by video.</summary>
    public IReadOnlyList<WindowRef> Items => items;

    /// <inheritdoc />
    public int Count => items.Length;

    /// <summary>The frames, over all videos, that carry a label for <paramref name="task"/>.</summary>
    /// <param name="task">One task: <see cref="AffectTask.ValenceArousal"/> (valence or arousal labelled),
    /// <see cref="AffectTask.Expression"/> or <see cref="AffectTask.ActionUnits"/> (any of the twelve labelled).</param>
    /// <returns>The number of labelled frames; 0 when no video is annotated for the task.</returns>
    /// <exception cref="ArgumentException"><paramref name="task"/> is not exactly one task.</exception>
    public long LabelledFrames(AffectTask task)
    {
        long labelled = 0;
        foreach (var video in videos)
        {
            switch (task)
            {
                case AffectTask.ValenceArousal:
                    labelled += LabelledRows(video.ValenceArousal, AffectLabels.ValenceArousalCount, v => !AffectLabels.IsUnlabelledValenceArousal(v));
                    break;
                case AffectTask.Expression:
                    labelled += LabelledRows(video.Expression, 1, c => !AffectLabels.IsUnlabelledExpression(c));
                    break;
                case AffectTask.ActionUnits:
                    labelled += LabelledRows(video.ActionUnits, AffectLabels.ActionUnitCount, u => !AffectLabels.IsUnlabelledActionUnit(u));
                    break;
                default:
                    throw new ArgumentException($"Ask for one task at a time, not {task}.", nameof(task));
            }
        }
        return labelled;
    }

    /// <summary>Rows of <paramref name="perFrame"/> values with at least one value that <paramref name="isLabel"/>.</summary>
    private static long LabelledRows<T>(ReadOnlySpan<T> labels, int perFrame, Func<T, bool> isLabel)
    {
        long rows = 0;
        for (int start = 0; start < labels.Length; start += perFrame)
        {
            foreach (var value in labels.Slice(start, perFrame))
            {
                if (!isLabel(value)) continue;
                rows++;
                break;
            }
        }
        return rows;
    }

    /// <summary>The segmentation of video <paramref name="videoIndex"/> by <see cref="Segmenter"/>, empty windows included, for <see cref="WindowStitcher"/>.</summary>
    /// <param name="videoIndex">Position of the video in <see cref="Videos"/>.</param>
    public IReadOnlyList<Window> Segment(int videoIndex) => Segmenter.Segment(videos[videoIndex].FrameCount);

    /// <inheritdoc />
    public StagedWindows Stage(IReadOnlyList<int> indices, Random random, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var rows = new WindowRef[indices.Count];
        for (int row = 0; row < rows.Length; row++)
        {
            int item = indices[row];
            if ((uint)item >= (uint)items.Length)
                throw new ArgumentOutOfRangeException(nameof(indices), item, $"Item indices lie in 0 … {items.Length - 1}.");
            rows[row] = items[item];
        }

        int w = WindowLength, d = FeatureDim, k = AffectLabels.ActionUnitCount;
        var staged = new StagedWindows(rows, w, d);
        for (int row = 0; row < rows.Length; row++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var video = videos[rows[row].VideoIndex];
            var (start, count) = (rows[row].Window.Start, rows[row].Window.ValidLength);
            int at = row * w;                                                  // first position of this row
            video.Features.Slice(start * d, count * d).CopyTo(staged.X.AsSpan(at * d));
            staged.Valid.AsSpan(at, count).Fill(true);
            if (!video.ValenceArousal.IsEmpty)
                video.ValenceArousal.Slice(start * 2, count * 2).CopyTo(staged.ValenceArousal.AsSpan(at * 2));
            if (!video.Expression.IsEmpty)
                Widen(video.Expression.Slice(start, count), staged.Expression.AsSpan(at, count));
            if (!video.ActionUnits.IsEmpty)
                Widen(video.ActionUnits.Slice(start * k, count * k), staged.ActionUnits.AsSpan(at * k, count * k));
        }
        return staged;
    }

    /// <inheritdoc />
    public FeatureWindowBatch ToBatch(StagedWindows staged, Device device)
    {
        ArgumentNullException.ThrowIfNull(staged);
        return staged.ToBatch(device ?? CPU);
    }

    private static void Widen(ReadOnlySpan<int> source, Span<long> target)
    {
        for (int i = 0; i < source.Length; i++) target[i] = source[i];
    }

    private static void Widen(ReadOnlySpan<int> source, Span<float> target)
    {
        for (int i = 0; i < source.Length; i++) target[i] = source[i];
    }
}
