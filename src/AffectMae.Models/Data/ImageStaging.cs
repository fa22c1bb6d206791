namespace AffectMae.Models.Data;

/// <summary>Decoding and transforming a batch of image files, shared by the image datasets.</summary>
internal static class ImageStaging
{
    /// <summary>Decodes and transforms the files of <paramref name="indices"/> into one [B, 3, side, side] array.</summary>
    /// <exception cref="InvalidDataException">A file cannot be decoded or transformed; the message names it.</exception>
    public static StagedImages Stage(IReadOnlyList<string> paths, IReadOnlyList<long>? labels, ImageTransform transform,
        IReadOnlyList<int> indices, Random random, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(random);
        int length = transform.OutputLength;
        var pixels = new float[(long)indices.Count * length];
        var batchLabels = labels is null ? null : new long[indices.Count];
        var rows = new int[indices.Count];
        for (int row = 0; row < indices.Count; row++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int item = indices[row];
            if ((uint)item >= (uint)paths.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), item, $"Item indices lie in 0 … {paths.Count - 1}.");
            rows[row] = item;
            string path = paths[item];
            try
            {
                using var bitmap = ImageDecoder.Decode(path, transform.MaxPixels);
                transform.Apply(bitmap, random, pixels.AsSpan(row * length, length));
            }
            catch (Exception e) when (e is not (InvalidDataException or FileNotFoundException or OperationCanceledException))
            {
                throw new InvalidDataException($"Cannot load image '{path}': {e.Message}", e);
            }
            if (batchLabels is not null) batchLabels[row] = labels![item];
        }
        return new StagedImages(rows, transform.Side, pixels, batchLabels);
    }
}
