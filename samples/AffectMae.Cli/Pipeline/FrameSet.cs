using AffectMae.Core.Data;
using AffectMae.Models.Features;
using static TorchSharp.torch;
using AffectMae.Models.Data;

namespace AffectMae.Cli.Pipeline;

/// <summary>The videos of an ABAW folder with their frame files, split into training and validation.</summary>
public sealed class FrameSet
{
    /// <summary>Reads the layout's annotations and checks which frames have an image.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder is not in the ABAW layout; the message names what is missing.</exception>
    public FrameSet(string root)
    {
        Layout = new AbawLayout(root);
        if (Layout.AvailableTasks.Count == 0)
            throw new DirectoryNotFoundException($"'{root}' holds none of VA_Estimation_Challenge, EXPR_Recognition_Challenge, AU_Detection_Challenge; point --data at an ABAW folder or run `generate` first.");
        if (!Directory.Exists(Layout.FramesRoot))
            throw new DirectoryNotFoundException($"'{Layout.FramesRoot}' is missing: frames go in cropped_aligned/<video>/00001.jpg.");
        Train = AbawVideo.Load(Layout, AbawSplit.Train);
        Validation = AbawVideo.Load(Layout, AbawSplit.Validation);
        if (Train.Count == 0 || Validation.Count == 0)
            throw new DirectoryNotFoundException($"'{root}' needs videos in both Train_Set and Validation_Set folders; found {Train.Count} and {Validation.Count}.");
    }

    /// <summary>The folder layout.</summary>
    public AbawLayout Layout { get; }

    /// <summary>Training videos.</summary>
    public IReadOnlyList<AbawVideo> Train { get; }

    /// <summary>Validation videos.</summary>
    public IReadOnlyList<AbawVideo> Validation { get; }

    /// <summary>Every video, training first.</summary>
    public IEnumerable<AbawVideo> All => Train.Concat(Validation);

    /// <summary>The frame files of a video in frame order; null where the image is missing.</summary>
    public VideoFrames Frames(AbawVideo video)
    {
        ArgumentNullException.ThrowIfNull(video);
        var paths = Enumerable.Range(1, video.FrameCount).Select(k => Layout.FramePath(video.Video, k)).Select(p => File.Exists(p) ? p : null).ToArray();
        return new VideoFrames(video.Video, paths);
    }

    /// <summary>Every k-th existing frame of the videos.</summary>
    public IEnumerable<(string Path, AbawVideo Video, int FrameIndex)> SampledFrames(IEnumerable<AbawVideo> videos, int stride) =>
        videos.SelectMany(v => Frames(v).FramePaths.Select((path, index) => (path, v, index)))
              .Where(f => f.path is not null && f.index % stride == 0)
              .Select(f => (f.path!, f.v, f.index));

    /// <summary>Decodes and normalises frames into one [B, 3, S, S] batch, decoding in parallel.</summary>
    public static Tensor LoadBatch(IReadOnlyList<string> paths, ImageTransform transform, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(transform);
        int length = transform.OutputLength;
        var pixels = new float[paths.Count * length];
        Parallel.For(0, paths.Count, i => transform.Load(paths[i], new Random(0)).CopyTo(pixels, i * length));
        using var batch = tensor(pixels).reshape(paths.Count, 3, transform.Side, transform.Side);
        return device is null ? batch.alias() : batch.to(device);
    }
}
