// The one place where checkpoints are translated, after timm's checkpoint_filter_fn and MAE's
// util/pos_embed.py interpolate_pos_embed and main_finetune.py's key check.
using AffectMae.Core.IO;
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
    /// <param name="model">The model to fill.</param>
    /// <param name="path">A safetensors file.</param>
    /// <param name="allowNonFinite">Load NaN and ±∞ weights as they are; by default they are an error naming the key.</param>
    /// <exception cref="InvalidDataException">
    /// The file is not valid safetensors, or a key, shape or dtype does not match, or a weight is not finite; the
    /// message names the file and the keys.
    /// </exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a folder, FIFO or device, not a regular file.</exception>
    public static void LoadPretraining(MaeViT model, string path, bool allowNonFinite = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var checkpoint = new TensorSet(SafeTensors.Load(path));
        var tensors = Unwrap(checkpoint.Tensors);
        StateDictLoader.Load(model, tensors, strict: true, source: path, allowNonFinite: allowNonFinite);
    }

    /// <summary>Loads the encoder of a pre-training checkpoint file into a classifier; see the dictionary overload.</summary>
    /// <param name="model">The classifier to fill.</param>
    /// <param name="path">A safetensors file.</param>
    /// <param name="allowNonFinite">Load NaN and ±∞ weights as they are; by default they are an error naming the key.</param>
    /// <exception cref="InvalidDataException">The file is not valid safetensors or not an MAE encoder checkpoint for this model.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a folder, FIFO or device, not a regular file.</exception>
    public static void LoadPretrainedEncoder(MaeClassifier model, string path, bool allowNonFinite = false)
    {
        using var checkpoint = new TensorSet(SafeTensors.Load(path));
        LoadPretrainedEncoder(model, checkpoint.Tensors, path, allowNonFinite);
    }

    /// <summary>
    /// Loads the encoder of a pre-trained MAE into a classifier. Decoder keys (<c>decoder_*</c>, <c>mask_token</c>)
    /// and the pre-training <c>norm</c> are dropped on purpose; the only keys allowed to be missing are the new
    /// <c>fc_norm</c> and <c>head</c>. <c>pos_embed</c> is resampled when the checkpoint's grid differs.
    /// </summary>
    /// <param name="model">The classifier to fill.</param>
    /// <param name="checkpoint">The tensors by key.</param>
    /// <param name="source">Where they came from, for messages.</param>
    /// <param name="allowNonFinite">Load NaN and ±∞ weights as they are; by default they are an error naming the key.</param>
    /// <exception cref="InvalidDataException">
    /// Any other key is missing or unexpected, a shape or dtype differs, <c>pos_embed</c> is not [1, 1 + g², D], or a
    /// weight is not finite.
    /// </exception>
    public static void LoadPretrainedEncoder(MaeClassifier model, IReadOnlyDictionary<string, Tensor> checkpoint, string source = "checkpoint", bool allowNonFinite = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tensors = Unwrap(checkpoint)
            .Where(kv => !MaeViT.IsDecoderKey(kv.Key) && kv.Key is not ("norm.weight" or "norm.bias"))
            .ToDictionary();
        using var resampled = tensors.TryGetValue("pos_embed", out var pos) ? InterpolatePosEmbed(pos, model.Options.Encoder.GridSize, source) : null;
        if (resampled is not null) tensors["pos_embed"] = resampled;

        var (missing, unexpected) = StateDictLoader.Load(model, tensors, strict: false, source: source, allowNonFinite: allowNonFinite);
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
    /// <param name="posEmbed">The table, [1, 1 + g², D] floating point.</param>
    /// <param name="gridSize">The new grid side g'.</param>
    /// <param name="source">Where the table came from (a file name), for messages.</param>
    /// <returns>The [1, 1 + g'², D] table, or null when g' = g.</returns>
    /// <exception cref="InvalidDataException">The table is not [1, 1 + g², D] with g ≥ 1, or not floating point; the message names the key and shape.</exception>
    public static Tensor? InterpolatePosEmbed(Tensor posEmbed, int gridSize, string source = "checkpoint")
    {
        ArgumentNullException.ThrowIfNull(posEmbed);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gridSize);
        string shape = $"[{string.Join(", ", posEmbed.shape)}]";
        if (posEmbed.dim() != 3 || posEmbed.shape[0] != 1 || posEmbed.shape[1] < 2 || !posEmbed.is_floating_point())
            throw new InvalidDataException($"{PrintableText.Escape(source)}: 'pos_embed' has shape {shape} and dtype {posEmbed.dtype}; "
                + "expected floating-point [1, 1 + g², D]: the class-token row, then one row per patch of a g×g grid.");
        long patches = posEmbed.shape[1] - 1, width = posEmbed.shape[2];
        int oldGrid = (int)Math.Round(Math.Sqrt(patches));
        if ((long)oldGrid * oldGrid != patches)
            throw new InvalidDataException($"{PrintableText.Escape(source)}: 'pos_embed' has shape {shape}: its {patches} patch rows are not a square grid.");
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
