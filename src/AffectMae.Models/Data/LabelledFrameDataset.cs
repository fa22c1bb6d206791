using AffectMae.Metrics;
using static TorchSharp.torch;

namespace AffectMae.Models.Data;

/// <summary>
/// Face frames with expression classes for fine-tuning the MAE encoder (paper §3.2): an image path and a class
/// 0 … <see cref="ClassCount"/>−1 per frame. Frames labelled −1 (Aff-Wild2's "no annotation") are dropped at
/// construction and counted in <see cref="SkippedCount"/>.
/// </summary>
public sealed class LabelledFrameDataset : IBatchDataset<StagedImages, ImageBatch>
{
    private readonly string[] paths;
    private readonly long[] labels;

    /// <summary>Creates the dataset, keeping the labelled frames in the given order.</summary>
    /// <param name="paths">One image file a frame.</param>
    /// <param name="labels">One class a frame: 0 … <paramref name="classCount"/>−1, or −1 to skip the frame.</param>
    /// <param name="transform">The transform applied to every frame.</param>
    /// <param name="classCount">Number of classes (Aff-Wild2 expressions: 8).</param>
    /// <exception cref="ArgumentException">The lists differ in length, a label is out of range, or no frame is labelled.</exception>
    public LabelledFrameDataset(IReadOnlyList<string> paths, IReadOnlyList<int> labels, ImageTransform transform, int classCount = AffectLabels.ExpressionClassCount)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        if (paths.Count != labels.Count)
            throw new ArgumentException($"Give one label a path: {paths.Count} paths but {labels.Count} labels.", nameof(labels));

        var keptPaths = new List<string>(paths.Count);
        var keptLabels = new List<long>(paths.Count);
        for (int i = 0; i < paths.Count; i++)
        {
            int label = labels[i];
            if (AffectLabels.IsUnlabelledExpression(label)) continue;
            if (label < 0 || label >= classCount)
                throw new ArgumentException($"Frame '{paths[i]}' has label {label}; labels lie in 0 … {classCount - 1}, or −1 for none.", nameof(labels));
            if (string.IsNullOrWhiteSpace(paths[i]))
                throw new ArgumentException($"Path {i} is empty.", nameof(paths));
            keptPaths.Add(paths[i]);
            keptLabels.Add(label);
        }
        if (keptPaths.Count == 0)
            throw new ArgumentException($"All {paths.Count} frames are labelled −1; the dataset would be empty.", nameof(labels));

        this.paths = [.. keptPaths];
        this.labels = [.. keptLabels];
        SkippedCount = paths.Count - keptPaths.Count;
        Transform = transform;
        ClassCount = classCount;
    }

    /// <summary>The image files of the kept frames, in item order.</summary>
    public IReadOnlyList<string> Paths => paths;

    /// <summary>The classes of the kept frames, in item order.</summary>
    public IReadOnlyList<long> Labels => labels;

    /// <summary>How many frames labelled −1 were dropped.</summary>
    public int SkippedCount { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The transform applied to every frame.</summary>
    public ImageTransform Transform { get; }

    /// <inheritdoc />
    public int Count => paths.Length;

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">A file cannot be decoded; the message names it.</exception>
    public StagedImages Stage(IReadOnlyList<int> indices, Random random, CancellationToken cancellationToken) =>
        ImageStaging.Stage(paths, labels, Transform, indices, random, cancellationToken);

    /// <inheritdoc />
    public ImageBatch ToBatch(StagedImages staged, Device device)
    {
        ArgumentNullException.ThrowIfNull(staged);
        return staged.ToBatch(device ?? CPU);
    }
}
