using System.Globalization;
using AffectMae.Core.IO;
using AffectMae.Models.Data;
using AffectMae.Models.IO;
using static TorchSharp.torch;

namespace AffectMae.Models.Features;

/// <summary>Whether a cache entry can be used, from <see cref="FeatureCache.Check"/>.</summary>
public enum FeatureEntryState
{
    /// <summary>There is no entry.</summary>
    Missing,

    /// <summary>The entry holds the video's frames, made as asked.</summary>
    Current,

    /// <summary>The entry is whole but was made by another encoder or with other settings, or for another frame count.</summary>
    Stale,

    /// <summary>The entry cannot be read as features: truncated, not safetensors, no [frames, D] tensor, or non-finite values.</summary>
    Damaged,
}

/// <summary>The state of a cache entry and, unless it is current or missing, what is wrong with it.</summary>
/// <param name="State">The state.</param>
/// <param name="Problem">What makes it stale or damaged; null otherwise.</param>
public sealed record FeatureEntryCheck(FeatureEntryState State, string? Problem);

/// <summary>
/// One feature matrix [frames, D] a video, stored as <c>&lt;folder&gt;/&lt;video&gt;.safetensors</c> (key
/// <c>features</c>) in float32 or float16, with what made it (<see cref="FeatureProvenance"/>) and the video's frame
/// count in the file's metadata. Files are written atomically, so a file is whole unless something else damaged it;
/// <see cref="Check"/> tells a current entry from a stale or damaged one before it is reused.
/// </summary>
public sealed class FeatureCache
{
    private const string FeaturesKey = "features";

    /// <summary>Metadata key of the number of annotated frames.</summary>
    public const string FramesKey = "frames";

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

    /// <summary>Where an extraction process claims a video while it extracts it (see <see cref="FeatureExtractor"/>).</summary>
    public string ClaimPathFor(string video) => Path.ChangeExtension(PathFor(video), ".claim");

    /// <summary>Whether a file exists for the video (whatever it holds; <see cref="Check"/> looks inside).</summary>
    public bool Contains(string video) => File.Exists(PathFor(video));

    /// <summary>
    /// Reads a video's entry whole and says whether it holds <paramref name="frameCount"/> rows of finite features made
    /// as <paramref name="expected"/> says.
    /// </summary>
    /// <param name="video">The video.</param>
    /// <param name="expected">What the features must have been made with.</param>
    /// <param name="frameCount">The video's annotated frames.</param>
    /// <returns>Missing, current, stale (with the settings that differ) or damaged (with what is wrong).</returns>
    public FeatureEntryCheck Check(string video, FeatureProvenance expected, int frameCount)
    {
        ArgumentNullException.ThrowIfNull(expected);
        string path = PathFor(video);
        if (!RegularFile.AnythingAt(path)) return new(FeatureEntryState.Missing, null);
        Dictionary<string, Tensor> tensors;
        IReadOnlyDictionary<string, string> metadata;
        try
        {
            tensors = SafeTensors.Load(path, out metadata);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return new(FeatureEntryState.Damaged, e.Message);
        }
        try
        {
            if (!tensors.TryGetValue(FeaturesKey, out var features) || features.dim() != 2 || features.dtype is not (ScalarType.Float32 or ScalarType.Float16))
                return new(FeatureEntryState.Damaged, $"{PrintableText.Escape(path)} holds no [frames, D] float '{FeaturesKey}' tensor");
            using var values = features.to(float32);
            int bad = FiniteValues.IndexOfNonFinite(values.data<float>().ToArray());
            if (bad >= 0)
                return new(FeatureEntryState.Damaged, $"{PrintableText.Escape(path)} holds a non-finite value at frame {bad / features.shape[1]}");
            var differences = expected.Differences(metadata).ToList();
            if (features.shape[0] != frameCount)
                differences.Add($"it has {features.shape[0]} frames, the video's annotations {frameCount}");
            return differences.Count == 0 ? new(FeatureEntryState.Current, null) : new(FeatureEntryState.Stale, string.Join("; ", differences));
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    /// <summary>Stores [frames, D] features of a video with what made them, atomically.</summary>
    /// <param name="video">The video.</param>
    /// <param name="features">[frames, D], one row an annotated frame.</param>
    /// <param name="provenance">What made them.</param>
    /// <param name="metadata">More entries for the file's metadata, or null.</param>
    public void Save(string video, Tensor features, FeatureProvenance provenance, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(provenance);
        var all = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>());
        foreach (var (key, value) in provenance.ToMetadata()) all[key] = value;
        all[FramesKey] = features.shape[0].ToString(CultureInfo.InvariantCulture);
        Save(video, features, all);
    }

    /// <summary>Stores [frames, D] features of a video, atomically, with the metadata given only (nothing says what made them, so <see cref="Check"/> finds the entry stale).</summary>
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
    public Tensor Load(string video, Device? device = null) => Read(video, device, expected: null);

    /// <summary>Loads a video's features as a row-major float array.</summary>
    public float[] LoadArray(string video, out int frames, out int dimension) => ToArray(Read(video, null, expected: null), out frames, out dimension);

    /// <summary>Loads a video's features as a row-major float array, after checking that they were made as <paramref name="expected"/> says.</summary>
    /// <exception cref="FileNotFoundException">The video has not been extracted.</exception>
    /// <exception cref="InvalidDataException">The file holds no [frames, D] <c>features</c> tensor, or was made by another encoder or with other settings; the message says which and what to do.</exception>
    public float[] LoadArray(string video, FeatureProvenance expected, out int frames, out int dimension)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return ToArray(Read(video, null, expected), out frames, out dimension);
    }

    // The entry's features as float32 [frames, D] on device (CPU when null), refused when not made as expected says (when given).
    private Tensor Read(string video, Device? device, FeatureProvenance? expected)
    {
        string path = PathFor(video);
        if (!File.Exists(path))
            throw new FileNotFoundException($"No cached features for video '{video}'; run the extraction first.", path);
        var tensors = SafeTensors.Load(path, out var metadata);
        try
        {
            if (expected?.Differences(metadata) is { Count: > 0 } differences)
                throw new InvalidDataException($"{PrintableText.Escape(path)}: the cached features of '{video}' were not made by this encoder and its settings: "
                    + $"{string.Join("; ", differences)}. Run the extraction again: it recomputes stale entries.");
            if (!tensors.TryGetValue(FeaturesKey, out var features) || features.dim() != 2)
                throw new InvalidDataException($"{PrintableText.Escape(path)} holds no [frames, D] '{FeaturesKey}' tensor.");
            using var moved = device is null ? features.alias() : features.to(device);
            return moved.to(float32);
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    private static float[] ToArray(Tensor features, out int frames, out int dimension)
    {
        using (features)
        {
            frames = (int)features.shape[0];
            dimension = (int)features.shape[1];
            return features.data<float>().ToArray();
        }
    }
}
