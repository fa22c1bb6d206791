using AffectMae.Core.Data;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Data;
using AffectMae.Models.Features;

namespace AffectMae.Models.Pipeline;

/// <summary>
/// The videos of an Aff-Wild2 folder in the ABAW layout with their annotations and frame files, split into training
/// and validation: what every stage of the pipeline reads.
/// </summary>
public sealed class AbawDataset
{
    /// <summary>Reads the layout's annotations of both splits.</summary>
    /// <param name="root">The folder that holds the annotation sets and <c>cropped_aligned</c>.</param>
    /// <exception cref="DirectoryNotFoundException">The folder is not in the ABAW layout or lacks a split; the message names what is missing.</exception>
    public AbawDataset(string root)
    {
        Layout = new AbawLayout(root);
        if (Layout.AvailableTasks.Count == 0)
            throw new DirectoryNotFoundException($"'{Layout.Root}' holds none of {AbawLayout.ValenceArousalFolderName}, {AbawLayout.ExpressionFolderName}, "
                + $"{AbawLayout.ActionUnitsFolderName}: point it at an ABAW folder (or generate the synthetic one).");
        if (!Directory.Exists(Layout.FramesRoot))
            throw new DirectoryNotFoundException($"'{Layout.FramesRoot}' is missing: frames go in {AbawLayout.FramesFolderName}/<video>/00001.jpg.");
        Train = AbawVideo.Load(Layout, AbawSplit.Train);
        Validation = AbawVideo.Load(Layout, AbawSplit.Validation);
        if (Train.Count == 0 || Validation.Count == 0)
            throw new DirectoryNotFoundException($"'{Layout.Root}' needs videos in both Train_Set and Validation_Set folders; found {Train.Count} and {Validation.Count}.");
    }

    /// <summary>The folder layout.</summary>
    public AbawLayout Layout { get; }

    /// <summary>Training videos, in ordinal order of their names.</summary>
    public IReadOnlyList<AbawVideo> Train { get; }

    /// <summary>Validation videos, in ordinal order of their names.</summary>
    public IReadOnlyList<AbawVideo> Validation { get; }

    /// <summary>Every video, training first.</summary>
    public IEnumerable<AbawVideo> All => Train.Concat(Validation);

    /// <summary>The frame files of a video in frame order; null where the image is missing.</summary>
    /// <param name="video">A video of this dataset.</param>
    /// <returns>One entry an annotated frame.</returns>
    public VideoFrames Frames(AbawVideo video)
    {
        ArgumentNullException.ThrowIfNull(video);
        var paths = Enumerable.Range(1, video.FrameCount).Select(k => Layout.FramePath(video.Video, k)).Select(p => File.Exists(p) ? p : null).ToArray();
        return new VideoFrames(video.Video, paths);
    }

    /// <summary>Every <paramref name="stride"/>-th frame of the videos that has an image, with its video and 0-based frame index.</summary>
    /// <param name="videos">Videos of this dataset.</param>
    /// <param name="stride">Keep frames whose index is a multiple of it.</param>
    /// <returns>The frames, video by video.</returns>
    public IEnumerable<(string Path, AbawVideo Video, int FrameIndex)> SampledFrames(IEnumerable<AbawVideo> videos, int stride)
    {
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        return videos.SelectMany(v => Frames(v).FramePaths.Select((path, index) => (path, v, index)))
                     .Where(f => f.path is not null && f.index % stride == 0)
                     .Select(f => (f.path!, f.v, f.index));
    }

    /// <summary>A video's cached features joined with its labels of every task.</summary>
    /// <param name="video">A video of this dataset.</param>
    /// <param name="cache">The encoder's feature cache.</param>
    /// <param name="expected">What the features must have been made with (the encoder's <see cref="EncoderBundle.FeatureProvenance"/>), or null to take them as they are.</param>
    /// <returns>The features and labels, frame by frame.</returns>
    /// <exception cref="FileNotFoundException">The video's features are not cached.</exception>
    /// <exception cref="InvalidDataException">The cached features have another frame count than the annotations, or were made by another encoder or with other settings; the message says how to mend it.</exception>
    public static VideoFeatures Features(AbawVideo video, FeatureCache cache, FeatureProvenance? expected = null)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(cache);
        int frames, dimension;
        var features = expected is null ? cache.LoadArray(video.Video, out frames, out dimension) : cache.LoadArray(video.Video, expected, out frames, out dimension);
        if (frames != video.FrameCount)
            throw new InvalidDataException($"Cached features of '{video.Video}' have {frames} frames, its annotations {video.FrameCount}; extract again (the extraction recomputes such entries).");
        return new VideoFeatures(video.Video, features, dimension, video.ValenceArousalLabels(), video.ExpressionLabels(), video.ActionUnitLabels());
    }

    /// <summary>The windows of <paramref name="videos"/> over their cached features, for the temporal model.</summary>
    /// <param name="videos">Videos of this dataset.</param>
    /// <param name="cache">The encoder's feature cache.</param>
    /// <param name="segmenter">Window length and stride.</param>
    /// <param name="expected">What the features must have been made with, or null to take them as they are.</param>
    public FeatureWindowDataset Windows(IEnumerable<AbawVideo> videos, FeatureCache cache, VideoSegmenter segmenter, FeatureProvenance? expected = null) =>
        new(videos.Select(v => Features(v, cache, expected)), segmenter);
}
