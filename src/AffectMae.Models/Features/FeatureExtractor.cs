using AffectMae.Core.IO;
using AffectMae.Core.Options;
using AffectMae.Models.Data;
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
/// <param name="Extracted">Videos encoded in this run (stale or damaged entries recomputed included).</param>
/// <param name="Skipped">Videos already in the cache, current.</param>
/// <param name="FramesEncoded">Frames run through the encoder.</param>
/// <param name="MissingFrames">Annotated frames filled from the nearest frame with a readable image: frames without an image, and bad frames skipped.</param>
public sealed record ExtractionSummary(int Extracted, int Skipped, long FramesEncoded, long MissingFrames)
{
    /// <summary>Cache entries that were stale (another encoder, other settings, another frame count) or damaged, and were extracted again; each was also logged as a warning.</summary>
    public IReadOnlyList<RecomputedEntry> Recomputed { get; init; } = [];

    /// <summary>Videos of the shard that another process extracted: this one found them claimed, waited, and found them done.</summary>
    public int ExtractedElsewhere { get; init; }

    /// <summary>The videos extracted in this run with frames filled from a neighbour, the most filled share first; each was also logged as a warning.</summary>
    public IReadOnlyList<FilledVideo> Filled { get; init; } = [];

    /// <summary>The precision the encoder ran in and why (null when the caller did not say).</summary>
    public Runtime.PrecisionChoice? Precision { get; init; }

    /// <summary>Frame files that could not be decoded, passed over under <see cref="BadFramePolicy.Skip"/>; <see cref="BadFrame.Index"/> is the 0-based annotated frame.</summary>
    public IReadOnlyList<BadFrame> BadFrames { get; init; } = [];
}

/// <summary>A cache entry extracted again.</summary>
/// <param name="Video">The video.</param>
/// <param name="State">Stale or damaged.</param>
/// <param name="Reason">What was wrong with it.</param>
public sealed record RecomputedEntry(string Video, FeatureEntryState State, string Reason);

/// <summary>A video some of whose annotated frames took the features of a neighbour.</summary>
/// <param name="Video">The video.</param>
/// <param name="Filled">Frames filled: no image, or an image that could not be decoded.</param>
/// <param name="Frames">Annotated frames.</param>
public sealed record FilledVideo(string Video, int Filled, int Frames)
{
    /// <summary>The filled share, Filled / Frames.</summary>
    public double Fraction => (double)Filled / Frames;
}

/// <summary>
/// Runs the fine-tuned frame encoder over every frame of every video of a shard and caches one [frames, D] matrix a
/// video (paper §3.3: the feature extractor feeds the temporal model). A frame with no image (Aff-Wild2 has some), or
/// with an image skipped as bad (<see cref="FeatureExtractionOptions.BadFrames"/>), takes the feature of the nearest
/// earlier frame with an image, or the nearest later one at the start of a video; their indices are stored in the
/// file's metadata (<c>missing_frames</c>, <c>bad_frames</c>), and each such video is reported. A video with no image
/// at all, or more filled frames than <see cref="FeatureExtractionOptions.MaxFilledFraction"/>, is an error naming it.
/// </summary>
/// <remarks>
/// <para><b>Reuse.</b> An entry is reused only when <see cref="FeatureCache.Check"/> finds it current: made by this
/// encoder (its weights' SHA-256) with this image size, resize and normalisation, in this precision, for the video's
/// frame count, readable and finite. A stale or damaged entry is extracted again, with a warning.</para>
/// <para><b>Several processes.</b> Processes may extract into one cache at once, on disjoint or overlapping shards:
/// before extracting a video a process claims it (a <c>&lt;video&gt;.claim</c> file created atomically, refreshed while
/// it works, deleted when done). A video claimed by a live process is left to it; once through its list, a process
/// waits for such videos to be done and extracts those whose claim went stale — at once when the claimant ran on this
/// machine and has ended, after <see cref="FeatureExtractionOptions.StaleClaimAge"/> without a heartbeat otherwise. So
/// every video is extracted once, and a killed process blocks nothing for long.</para>
/// </remarks>
public sealed class FeatureExtractor
{
    private readonly FrameEncoder encoder;
    private readonly FeatureCache cache;
    private readonly FeatureProvenance provenance;
    private readonly FeatureExtractionOptions options;
    private readonly ILogger logger;

    /// <summary>Creates an extractor.</summary>
    /// <param name="encoder">Frames → features (the encoder, its transform and batching).</param>
    /// <param name="cache">Where features go.</param>
    /// <param name="provenance">What makes the features: the encoder's weights hash, the transform (the one <paramref name="encoder"/> applies) and the precision.</param>
    /// <param name="options">Bad frames, filled frames and claims; the defaults when null.</param>
    /// <param name="logger">Receives one line a video, and a warning a video with filled frames or a stale entry.</param>
    /// <exception cref="ArgumentException">The provenance describes another transform than the encoder's, or the options are invalid.</exception>
    public FeatureExtractor(FrameEncoder encoder, FeatureCache cache, FeatureProvenance provenance, FeatureExtractionOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(provenance);
        var differences = provenance.Differences(new FeatureProvenance(provenance.EncoderSha256, encoder.Transform, provenance.Precision).ToMetadata());
        if (differences.Count > 0)
            throw new ArgumentException($"The provenance describes another transform than the encoder's ({string.Join("; ", differences)}).", nameof(provenance));
        this.encoder = encoder;
        this.cache = cache;
        this.provenance = provenance;
        this.options = OptionsValidation.ValidatedCopy(new AnnotationsValidator<FeatureExtractionOptions>(), options ?? new FeatureExtractionOptions(), nameof(options));
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Extracts the shard's videos whose cache entries are not current, leaving to other processes the videos they have claimed.</summary>
    /// <param name="videos">Every video (the shard picks its own).</param>
    /// <param name="shard">Which videos this call extracts.</param>
    /// <param name="progress">Receives a report after every batch and every video.</param>
    /// <param name="cancellationToken">Stops between batches; the video in progress is left unclaimed and uncached.</param>
    /// <returns>What was done.</returns>
    /// <exception cref="InvalidDataException">A video has no image, too many filled frames, or (under <see cref="BadFramePolicy.Fail"/>) a frame that cannot be decoded; the message names it.</exception>
    /// <exception cref="InvalidOperationException">The encoder gave a non-finite feature; the message names the video and frame.</exception>
    public ExtractionSummary Run(IReadOnlyList<VideoFrames> videos, Shard shard, IProgress<ExtractionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(videos);
        var byName = videos.ToDictionary(v => v.Video, StringComparer.Ordinal);
        var mine = shard.Select(byName.Keys);
        var tally = new Tally();
        var claimedElsewhere = new List<int>();
        for (int i = 0; i < mine.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!TryExtract(byName[mine[i]], i, mine.Count, tally, waited: false, progress, cancellationToken))
                claimedElsewhere.Add(i);
        }
        while (claimedElsewhere.Count > 0)
        {
            cancellationToken.WaitHandle.WaitOne(options.ClaimPollInterval);
            cancellationToken.ThrowIfCancellationRequested();
            claimedElsewhere.RemoveAll(i => TryExtract(byName[mine[i]], i, mine.Count, tally, waited: true, progress, cancellationToken));
        }
        logger.LogInformation("Shard {Shard}: {Extracted} videos extracted ({Recomputed} of them stale or damaged), {Skipped} already cached, {Elsewhere} extracted by other processes, {Missing} frames filled from a neighbour",
            shard, tally.Extracted, tally.Recomputed.Count, tally.Skipped, tally.Elsewhere, tally.Missing);
        return new ExtractionSummary(tally.Extracted, tally.Skipped, tally.Encoded, tally.Missing)
        {
            Recomputed = tally.Recomputed,
            ExtractedElsewhere = tally.Elsewhere,
            Filled = [.. tally.Filled.OrderByDescending(f => f.Fraction).ThenBy(f => f.Video, StringComparer.Ordinal)],
            BadFrames = tally.BadFrames,
        };
    }

    private sealed class Tally
    {
        public int Extracted, Skipped, Elsewhere;
        public long Encoded, Missing;
        public List<RecomputedEntry> Recomputed { get; } = [];
        public List<FilledVideo> Filled { get; } = [];
        public List<BadFrame> BadFrames { get; } = [];
    }

    // True when the video is done: current in the cache, or extracted now; false while another live process holds it.
    private bool TryExtract(VideoFrames video, int index, int count, Tally tally, bool waited, IProgress<ExtractionProgress>? progress, CancellationToken cancellationToken)
    {
        int frames = video.FramePaths.Count;
        if (Done(cache.Check(video.Video, provenance, frames))) return true;
        using var claim = VideoClaim.TryAcquire(cache.ClaimPathFor(video.Video), options.StaleClaimAge, out string? holder, out string? takenOver);
        if (takenOver is not null)
            logger.LogWarning("{Video}: took over the stale claim of {Holder}", video.Video, takenOver);
        if (claim is null)
        {
            if (!waited) logger.LogInformation("{Video}: being extracted by {Holder}; coming back to it", video.Video, holder);
            return false;
        }
        var check = cache.Check(video.Video, provenance, frames);             // done by another process meanwhile?
        if (Done(check)) return true;
        if (check.State is FeatureEntryState.Stale or FeatureEntryState.Damaged)
        {
            logger.LogWarning("{Video}: the cached features are {State} ({Reason}); extracting them again", video.Video, check.State.ToString().ToLowerInvariant(), check.Problem);
            tally.Recomputed.Add(new RecomputedEntry(video.Video, check.State, check.Problem!));
        }
        Extract(video, index, count, tally, claim, progress, cancellationToken);
        return true;

        bool Done(FeatureEntryCheck entry)
        {
            if (entry.State != FeatureEntryState.Current) return false;
            if (waited) tally.Elsewhere++;
            else tally.Skipped++;
            progress?.Report(new ExtractionProgress(video.Video, index, count, frames, frames, Skipped: true));
            return true;
        }
    }

    private void Extract(VideoFrames video, int index, int count, Tally tally, VideoClaim claim, IProgress<ExtractionProgress>? progress, CancellationToken cancellationToken)
    {
        int frames = video.FramePaths.Count;
        var present = Enumerable.Range(0, frames).Where(f => video.FramePaths[f] is not null).ToArray();
        if (present.Length == 0)
            throw new InvalidDataException($"Video '{video.Video}' has {frames} annotated frames and no image; check its cropped_aligned folder.");
        CheckFilled(video, frames - present.Length, "without an image");

        var paths = present.Select(f => video.FramePaths[f]!).ToList();
        var done = new SyncProgress<int>(n =>
        {
            claim.Heartbeat();
            progress?.Report(new ExtractionProgress(video.Video, index, count, n, frames, Skipped: false));
        });
        var encoded = encoder.EncodeFrames(paths, options.BadFrames, done, cancellationToken);    // [encoded, D]
        var bad = encoded.BadFrames.Select(b => b with { Index = present[b.Index] }).ToList();
        var rows = encoded.Encoded.Select(i => present[i]).ToArray();                              // annotated frame of each row
        if (rows.Length == 0)
            throw new InvalidDataException($"Video '{video.Video}' has no image that can be decoded: {bad.Count} were skipped as bad ({PrintableText.Escape(bad[0].Path)}: {bad[0].Reason}).");
        CheckFilled(video, frames - rows.Length, $"without an image or with one that cannot be decoded ({bad.Count})");
        int nonFinite = FiniteValues.IndexOfNonFinite(encoded.Features);
        if (nonFinite >= 0)
            throw new InvalidOperationException($"The encoder gave a non-finite feature for frame {rows[nonFinite / encoder.FeatureDim] + 1} of video '{video.Video}' "
                + $"({PrintableText.Escape(video.FramePaths[rows[nonFinite / encoder.FeatureDim]]!)}); nothing was cached for it. Check the encoder's weights.");

        using var encodedFrames = tensor(encoded.Features).reshape(rows.Length, encoder.FeatureDim);
        using var source = tensor(NearestPresent(rows, frames));                               // frame → row of encodedFrames
        using var all = encodedFrames.index_select(0, source);                                 // [frames, D]
        var missing = Enumerable.Range(0, frames).Where(f => video.FramePaths[f] is null).ToList();
        cache.Save(video.Video, all, provenance, new Dictionary<string, string>
        {
            ["missing_frames"] = string.Join(",", missing),
            ["bad_frames"] = string.Join(",", bad.Select(b => b.Index)),
        });
        int filled = frames - rows.Length;
        if (filled > 0)
        {
            logger.LogWarning("{Video}: {Filled} of {Frames} annotated frames ({Missing} without an image, {Bad} that cannot be decoded) take the features of the nearest frame with one",
                video.Video, filled, frames, missing.Count, bad.Count);
            tally.Filled.Add(new FilledVideo(video.Video, filled, frames));
        }
        else
        {
            logger.LogInformation("{Video}: {Frames} frames", video.Video, frames);
        }
        tally.Extracted++;
        tally.Encoded += rows.Length;
        tally.Missing += filled;
        tally.BadFrames.AddRange(bad);
    }

    private void CheckFilled(VideoFrames video, int filled, string what)
    {
        int frames = video.FramePaths.Count;
        if ((double)filled / frames > options.MaxFilledFraction)
            throw new InvalidDataException($"Video '{video.Video}' has {filled} of its {frames} annotated frames {what} "
                + $"({100.0 * filled / frames:0.#} %), more than FeatureExtractionOptions.MaxFilledFraction = {options.MaxFilledFraction:0.###} allows: "
                + "their features would all be copied from other frames. Check its cropped_aligned folder and annotation file, or raise the limit (CLI: --max-filled).");
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
