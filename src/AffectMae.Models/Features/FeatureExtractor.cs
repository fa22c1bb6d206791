using AffectMae.Models.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Features;

/// <summary>The frames of one video in annotation order; a null path is an annotated frame with no image.</summary>
/// <param name="Video">Video name (the annotation file name without <c>.txt</c>).</param>
/// <param name="FramePaths">One entry a frame, in frame order.</param>
public sealed record VideoFrames(string Video, IReadOnlyList<string?> FramePaths);

/// <summary>Progress of an extraction, reported after each batch and each video.</summary>
/// <param name="Video">Video in progress.</param>
/// <param name="VideoIndex">0-based index of the video within the shard.</param>
/// <param name="VideoCount">Videos in the shard.</param>
/// <param name="FramesDone">Frames of the video encoded so far.</param>
/// <param name="FrameCount">Frames of the video.</param>
/// <param name="Skipped">Whether the video was already cached and skipped.</param>
public readonly record struct ExtractionProgress(string Video, int VideoIndex, int VideoCount, int FramesDone, int FrameCount, bool Skipped);

/// <summary>What an extraction did.</summary>
/// <param name="Extracted">Videos encoded in this run.</param>
/// <param name="Skipped">Videos already in the cache.</param>
/// <param name="FramesEncoded">Frames run through the encoder.</param>
/// <param name="MissingFrames">Annotated frames without an image, filled from the nearest frame that has one.</param>
public sealed record ExtractionSummary(int Extracted, int Skipped, long FramesEncoded, long MissingFrames);

/// <summary>
/// Runs the fine-tuned frame encoder over every frame of every video of a shard and caches one [frames, D] matrix a
/// video (paper §3.3: the feature extractor feeds the temporal model). A frame with no image (Aff-Wild2 has some)
/// takes the feature of the nearest earlier frame with an image, or the nearest later one at the start of a video;
/// their indices are stored in the file's metadata (<c>missing_frames</c>). A video with no image at all is an error.
/// </summary>
public sealed class FeatureExtractor
{
    private readonly FrameEncoder encoder;
    private readonly FeatureCache cache;
    private readonly ILogger logger;

    /// <summary>Creates an extractor.</summary>
    /// <param name="encoder">Frames → features (the encoder, its transform and batching).</param>
    /// <param name="cache">Where features go.</param>
    /// <param name="logger">Receives one line a video.</param>
    public FeatureExtractor(FrameEncoder encoder, FeatureCache cache, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(cache);
        this.encoder = encoder;
        this.cache = cache;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Extracts the shard's videos that are not cached yet.</summary>
    public ExtractionSummary Run(IReadOnlyList<VideoFrames> videos, Shard shard, IProgress<ExtractionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(videos);
        var byName = videos.ToDictionary(v => v.Video, StringComparer.Ordinal);
        var mine = shard.Select(byName.Keys);
        int extracted = 0, skipped = 0;
        long encoded = 0, missing = 0;
        for (int i = 0; i < mine.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var video = byName[mine[i]];
            if (cache.Contains(video.Video))
            {
                skipped++;
                progress?.Report(new ExtractionProgress(video.Video, i, mine.Count, video.FramePaths.Count, video.FramePaths.Count, Skipped: true));
                continue;
            }
            var (frames, gaps) = Extract(video, i, mine.Count, progress, cancellationToken);
            encoded += frames;
            missing += gaps;
            extracted++;
        }
        logger.LogInformation("Shard {Shard}: {Extracted} videos extracted, {Skipped} already cached, {Missing} frames without image", shard, extracted, skipped, missing);
        return new ExtractionSummary(extracted, skipped, encoded, missing);
    }

    private (int Encoded, int Missing) Extract(VideoFrames video, int index, int count, IProgress<ExtractionProgress>? progress, CancellationToken cancellationToken)
    {
        var present = Enumerable.Range(0, video.FramePaths.Count).Where(f => video.FramePaths[f] is not null).ToArray();
        if (present.Length == 0)
            throw new InvalidDataException($"Video '{video.Video}' has {video.FramePaths.Count} annotated frames and no image; check its cropped_aligned folder.");

        var paths = present.Select(f => video.FramePaths[f]!).ToList();
        var done = new SyncProgress<int>(n => progress?.Report(new ExtractionProgress(video.Video, index, count, n, video.FramePaths.Count, Skipped: false)));
        var rows = encoder.Encode(paths, done, cancellationToken);                         // [present, D]
        using var encodedFrames = tensor(rows).reshape(present.Length, encoder.FeatureDim);
        using var source = tensor(NearestPresent(present, video.FramePaths.Count));       // frame → row of encodedFrames
        using var all = encodedFrames.index_select(0, source);                             // [frames, D]
        var missingFrames = Enumerable.Range(0, video.FramePaths.Count).Where(f => video.FramePaths[f] is null).ToList();
        cache.Save(video.Video, all, new Dictionary<string, string>
        {
            ["frames"] = video.FramePaths.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["missing_frames"] = string.Join(",", missingFrames),
        });
        logger.LogInformation("{Video}: {Frames} frames, {Missing} without image", video.Video, video.FramePaths.Count, missingFrames.Count);
        return (present.Length, missingFrames.Count);
    }

    // For every frame, the row (index into present) of the nearest earlier present frame, or the first present one.
    private static long[] NearestPresent(int[] present, int frameCount)
    {
        var source = new long[frameCount];
        int row = 0;
        for (int frame = 0; frame < frameCount; frame++)
        {
            while (row + 1 < present.Length && present[row + 1] <= frame) row++;
            source[frame] = row;
        }
        return source;
    }
}
