using AffectMae.Models.IO;
using static TorchSharp.torch;

namespace AffectMae.Models.Features;

/// <summary>
/// One feature matrix [frames, D] a video, stored as <c>&lt;folder&gt;/&lt;video&gt;.safetensors</c> (key
/// <c>features</c>) in float32 or float16. Files are written atomically, so a file that exists is complete: an
/// interrupted extraction resumes by skipping the videos already present.
/// </summary>
public sealed class FeatureCache
{
    private const string FeaturesKey = "features";

    /// <summary>Creates a cache in <paramref name="folder"/> (created when needed).</summary>
    /// <param name="folder">Where the files go.</param>
    /// <param name="storage">float32 (exact) or float16 (half the disk; values rounded to 11 significant bits).</param>
    public FeatureCache(string folder, ScalarType storage = ScalarType.Float32)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (storage is not (ScalarType.Float32 or ScalarType.Float16))
            throw new ArgumentException($"Features are stored as Float32 or Float16, not {storage}.", nameof(storage));
        Folder = folder;
        Storage = storage;
    }

    /// <summary>The cache folder.</summary>
    public string Folder { get; }

    /// <summary>The on-disk element type.</summary>
    public ScalarType Storage { get; }

    /// <summary>The file of a video.</summary>
    public string PathFor(string video)
    {
        ArgumentException.ThrowIfNullOrEmpty(video);
        if (video.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || video is "." or "..")
            throw new ArgumentException($"'{video}' cannot be used as a file name.", nameof(video));
        return Path.Combine(Folder, video + ".safetensors");
    }

    /// <summary>Whether the video's features are cached.</summary>
    public bool Contains(string video) => File.Exists(PathFor(video));

    /// <summary>Stores [frames, D] features of a video, atomically.</summary>
    public void Save(string video, Tensor features, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 2)
            throw new ArgumentException($"Features must be [frames, D]; got [{string.Join(", ", features.shape)}].", nameof(features));
        using var stored = features.detach().to(Storage).cpu();
        SafeTensors.Save(PathFor(video), new Dictionary<string, Tensor> { [FeaturesKey] = stored }, metadata);
    }

    /// <summary>Loads a video's features as float32 [frames, D] on <paramref name="device"/> (CPU when null).</summary>
    /// <exception cref="FileNotFoundException">The video has not been extracted.</exception>
    /// <exception cref="InvalidDataException">The file holds no [frames, D] <c>features</c> tensor.</exception>
    public Tensor Load(string video, Device? device = null)
    {
        string path = PathFor(video);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No cached features for video '{video}'; run the extraction first.", path);
        var tensors = SafeTensors.Load(path);
        try
        {
            if (!tensors.TryGetValue(FeaturesKey, out var features) || features.dim() != 2)
                throw new InvalidDataException($"{path} holds no [frames, D] '{FeaturesKey}' tensor.");
            using var moved = device is null ? features.alias() : features.to(device);
            return moved.to(float32);
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    /// <summary>Loads a video's features as a row-major float array.</summary>
    public float[] LoadArray(string video, out int frames, out int dimension)
    {
        using var features = Load(video);
        frames = (int)features.shape[0];
        dimension = (int)features.shape[1];
        return features.data<float>().ToArray();
    }
}
