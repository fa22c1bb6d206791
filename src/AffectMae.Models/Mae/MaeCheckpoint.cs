// The one place where checkpoints are translated, after timm's checkpoint_filter_fn and MAE's
// util/pos_embed.py interpolate_pos_embed and main_finetune.py's key check.
using AffectMae.Models.IO;
using static TorchSharp.torch;

namespace AffectMae.Models.Mae;

/// <summary>
/// Loads MAE weights (official checkpoints converted to safetensors, or our own) into <see cref="MaeViT"/> and
/// <see cref="MaeClassifier"/>: unwraps a <c>model.</c> prefix, resamples <c>pos_embed</c> to the model's grid, and
/// checks the missing and unexpected keys against an explicit allow-list.
/// </summary>
public static class MaeCheckpoint
{
    private static readonly string[] ClassifierOnlyKeys = ["fc_norm.weight", "fc_norm.bias", "head.weight", "head.bias"];

    /// <summary>Loads a full pre-training checkpoint into <paramref name="model"/>; every key must match.</summary>
    public static void LoadPretraining(MaeViT model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var checkpoint = new TensorSet(SafeTensors.Load(path));
        var tensors = Unwrap(checkpoint.Tensors);
        StateDictLoader.Load(model, tensors, strict: true, source: path);
    }

    /// <summary>Loads the encoder of a pre-training checkpoint file into a classifier; see the dictionary overload.</summary>
    public static void LoadPretrainedEncoder(MaeClassifier model, string path)
    {
        using var checkpoint = new TensorSet(SafeTensors.Load(path));
        LoadPretrainedEncoder(model, checkpoint.Tensors, path);
    }

    /// <summary>
    /// Loads the encoder of a pre-trained MAE into a classifier. Decoder keys (<c>decoder_*</c>, <c>mask_token</c>)
    /// and the pre-training <c>norm</c> are dropped on purpose; the only keys allowed to be missing are the new
    /// <c>fc_norm</c> and <c>head</c>. <c>pos_embed</c> is resampled when the checkpoint's grid differs.
    /// </summary>
    /// <exception cref="InvalidDataException">Any other key is missing or unexpected, or a shape differs.</exception>
    public static void LoadPretrainedEncoder(MaeClassifier model, IReadOnlyDictionary<string, Tensor> checkpoint, string source = "checkpoint")
    {
        ArgumentNullException.ThrowIfNull(model);
        var tensors = Unwrap(checkpoint)
            .Where(kv => !MaeViT.IsDecoderKey(kv.Key) && kv.Key is not ("norm.weight" or "norm.bias"))
            .ToDictionary();
        using var resampled = tensors.TryGetValue("pos_embed", out var pos) ? InterpolatePosEmbed(pos, model.Options.Encoder.GridSize) : null;
        if (resampled is not null) tensors["pos_embed"] = resampled;

        var (missing, unexpected) = StateDictLoader.Load(model, tensors, strict: false, source: source);
        if (unexpected.Count > 0 || !missing.ToHashSet().SetEquals(ClassifierOnlyKeys))
            throw new InvalidDataException(
                $"{source} is not an MAE encoder checkpoint for this model: expected only {string.Join(", ", ClassifierOnlyKeys)} "
                + $"to be missing; missing: [{string.Join(", ", missing)}]; unexpected: [{string.Join(", ", unexpected)}].");
    }

    /// <summary>Removes the <c>model.</c> prefix that MAE's training script saves weights under, when every key has it.</summary>
    public static Dictionary<string, Tensor> Unwrap(IReadOnlyDictionary<string, Tensor> checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        const string prefix = "model.";
        bool wrapped = checkpoint.Count > 0 && checkpoint.Keys.All(k => k.StartsWith(prefix, StringComparison.Ordinal));
        return checkpoint.ToDictionary(kv => wrapped ? kv.Key[prefix.Length..] : kv.Key, kv => kv.Value);
    }

    /// <summary>
    /// Resamples a [1, 1 + g², D] position table to a new g'×g' grid with bicubic interpolation, keeping the class
    /// row (MAE's <c>interpolate_pos_embed</c>). Returns null when the grid already matches.
    /// </summary>
    public static Tensor? InterpolatePosEmbed(Tensor posEmbed, int gridSize)
    {
        ArgumentNullException.ThrowIfNull(posEmbed);
        long patches = posEmbed.shape[1] - 1, width = posEmbed.shape[2];
        int oldGrid = (int)Math.Round(Math.Sqrt(patches));
        if (oldGrid * oldGrid != patches)
            throw new InvalidDataException($"pos_embed has {patches} patch rows, not a square grid.");
        if (oldGrid == gridSize) return null;

        using var scope = NewDisposeScope();
        var grid = posEmbed[.., 1..].reshape(1, oldGrid, oldGrid, width).permute(0, 3, 1, 2);       // [1, D, g, g]
        var resized = nn.functional.interpolate(grid, [gridSize, gridSize], mode: InterpolationMode.Bicubic, align_corners: false);
        var rows = resized.permute(0, 2, 3, 1).flatten(1, 2);                                        // [1, g'², D]
        return scope.MoveToOuter(cat([posEmbed[.., ..1], rows], 1));
    }

    private sealed class TensorSet(Dictionary<string, Tensor> tensors) : IDisposable
    {
        public Dictionary<string, Tensor> Tensors { get; } = tensors;

        public void Dispose()
        {
            foreach (var tensor in Tensors.Values) tensor.Dispose();
        }
    }
}
