using static TorchSharp.torch;

namespace AffectMae.Models.Data;

/// <summary>
/// A batch of frames: images [B, 3, side, side] float32 and, for a labelled dataset, classes [B] int64. The consumer owns
/// the batch and disposes it; its tensors belong to no dispose scope.
/// </summary>
public sealed class ImageBatch : IDisposable
{
    internal ImageBatch(Tensor images, Tensor? labels, IReadOnlyList<int> indices)
    {
        (Images, Labels, Indices) = (images, labels, indices);
    }

    /// <summary>Normalised images [B, 3, side, side], float32.</summary>
    public Tensor Images { get; }

    /// <summary>Expression classes [B], int64 in 0 … 7; <see langword="null"/> for an unlabelled dataset.</summary>
    public Tensor? Labels { get; }

    /// <summary>The dataset item of each row.</summary>
    public IReadOnlyList<int> Indices { get; }

    /// <summary>Rows B.</summary>
    public int Count => Indices.Count;

    /// <summary>Disposes the tensors.</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels?.Dispose();
    }
}

/// <summary>The tensor-free form of an <see cref="ImageBatch"/> (pixels and labels in managed arrays), built on a worker thread.</summary>
public sealed class StagedImages
{
    private readonly float[] pixels;
    private readonly long[]? labels;

    internal StagedImages(int[] indices, int side, float[] pixels, long[]? labels)
    {
        (Indices, Side, this.pixels, this.labels) = (indices, side, pixels, labels);
    }

    /// <summary>The dataset item of each row.</summary>
    public IReadOnlyList<int> Indices { get; }

    /// <summary>Image side in pixels.</summary>
    public int Side { get; }

    /// <summary>Creates the batch tensors (copies of the arrays) on <paramref name="device"/>.</summary>
    internal ImageBatch ToBatch(Device device)
    {
        long b = Indices.Count;
        Tensor? images = null, labelTensor = null;
        try
        {
            images = tensor(pixels, [b, 3, Side, Side], device: device).DetachFromDisposeScope();
            labelTensor = labels is null ? null : tensor(labels, [b], device: device).DetachFromDisposeScope();
            return new ImageBatch(images, labelTensor, Indices);
        }
        catch
        {
            images?.Dispose();
            labelTensor?.Dispose();
            throw;
        }
    }
}
