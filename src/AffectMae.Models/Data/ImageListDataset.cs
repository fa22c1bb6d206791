using static TorchSharp.torch;

namespace AffectMae.Models.Data;

/// <summary>
/// Unlabelled face frames for MAE pre-training: a list of image files, each decoded and transformed (usually with
/// <see cref="ImageTransform.MaePretraining"/>) when its batch is staged. Batches carry images only.
/// </summary>
public sealed class ImageListDataset : IBatchDataset<StagedImages, ImageBatch>
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png"];
    private readonly string[] paths;

    /// <summary>Creates the dataset from image paths, kept in the given order.</summary>
    /// <param name="paths">JPEG or PNG files (read only when staged).</param>
    /// <param name="transform">The transform applied to every frame.</param>
    /// <exception cref="ArgumentException">The list is empty or holds an empty path.</exception>
    public ImageListDataset(IEnumerable<string> paths, ImageTransform transform)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(transform);
        this.paths = [.. paths];
        if (this.paths.Length == 0)
            throw new ArgumentException("The dataset needs at least one image.", nameof(paths));
        int blank = Array.FindIndex(this.paths, string.IsNullOrWhiteSpace);
        if (blank >= 0)
            throw new ArgumentException($"Path {blank} is empty.", nameof(paths));
        Transform = transform;
    }

    /// <summary>
    /// Every <c>.jpg</c>, <c>.jpeg</c> and <c>.png</c> file under <paramref name="folder"/> (and its subfolders, e.g.
    /// Aff-Wild2's <c>cropped_aligned/&lt;video&gt;/&lt;k:00000&gt;.jpg</c>), sorted by ordinal path.
    /// </summary>
    /// <param name="folder">The root folder.</param>
    /// <param name="transform">The transform applied to every frame.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="ArgumentException">The folder holds no image.</exception>
    public static ImageListDataset FromFolder(string folder, ImageTransform transform)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Image folder '{folder}' does not exist.");
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
            throw new ArgumentException($"Folder '{folder}' holds no .jpg, .jpeg or .png file.", nameof(folder));
        return new ImageListDataset(files, transform);
    }

    /// <summary>The image files, in item order.</summary>
    public IReadOnlyList<string> Paths => paths;

    /// <summary>The transform applied to every frame.</summary>
    public ImageTransform Transform { get; }

    /// <inheritdoc />
    public int Count => paths.Length;

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">A file cannot be decoded; the message names it.</exception>
    public StagedImages Stage(IReadOnlyList<int> indices, Random random, CancellationToken cancellationToken) =>
        ImageStaging.Stage(paths, null, Transform, indices, random, cancellationToken);

    /// <inheritdoc />
    public ImageBatch ToBatch(StagedImages staged, Device device)
    {
        ArgumentNullException.ThrowIfNull(staged);
        return staged.ToBatch(device ?? CPU);
    }
}
