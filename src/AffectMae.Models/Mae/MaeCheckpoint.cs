// The one place where checkpoints are translated, after timm's checkpoint_filter_fn and MAE's
// util/pos_embed.py interpolate_pos_embed and main_finetune.py's key check.
using AffectMae.Core.IO;
using AffectMae.Models.IO;
using static TorchSharp.torch;

namespace AffectMae.Models.Mae;

/// <summary>
/// Loads MAE weights into <see cref="MaeViT"/> and <see cref="MaeClassifier"/>, from PyTorch <c>.pth</c> files as
/// published (official MAE, FuxiVirtualHuman/MAE-Face, <c>models_vit</c> fine-tuning checkpoints; the weights under
/// <c>checkpoint['model']</c>, read by <see cref="PyTorchFile"/> without Python) or from safetensors (converted
/// checkpoints, our own). Unwraps the <c>model</c> entry or a <c>model.</c> prefix, resamples <c>pos_embed</c> to the
/// model's grid, and checks the missing and unexpected keys against an explicit allow-list.
/// </summary>
public static class MaeCheckpoint
{
    private const string ModelEntry = "model";
    private static readonly string[] HeadKeys = ["head.weight", "head.bias"];
    private static readonly string[] NormKeys = ["norm.weight", "norm.bias"];
    private static readonly string[] FcNormKeys = ["fc_norm.weight", "fc_norm.bias"];

    /// <summary>Loads a full pre-training checkpoint (<c>.pth</c> or safetensors) into <paramref name="model"/>; every key must match.</summary>
    /// <param name="model">The MAE.</param>
    /// <param name="path">An official <c>mae_pretrain_*.pth</c> (or a training checkpoint holding one), MAE-Face, or safetensors with the same keys.</param>
    /// <param name="allowNonFinite">Load NaN and ±∞ weights as they are; by default they are an error naming the key.</param>
    /// <exception cref="InvalidDataException">The file is damaged, or a key, shape or dtype differs, or a weight is not finite; the message names the file and lists them.</exception>
    /// <exception cref="UnsafePickleException">The PyTorch file names a Python global outside <see cref="PyTorchFile.AllowedGlobals"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a folder, FIFO or device, not a regular file.</exception>
    public static void LoadPretraining(MaeViT model, string path, bool allowNonFinite = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var checkpoint = new TensorSet(TensorFile.Load(path, ModelEntry));
        StateDictLoader.Load(model, Unwrap(checkpoint.Tensors), strict: true, source: path, allowNonFinite: allowNonFinite);
    }

    /// <summary>Loads the encoder of a pre-training checkpoint file (<c>.pth</c> or safetensors) into a classifier; see the dictionary overload.</summary>
    /// <param name="model">The classifier.</param>
    /// <param name="path">An MAE pre-training checkpoint.</param>
    /// <param name="allowNonFinite">Load NaN and ±∞ weights as they are; by default they are an error naming the key.</param>
    /// <exception cref="InvalidDataException">The file is damaged, or keys or shapes do not fit; the message names the file and lists them.</exception>
    /// <exception cref="UnsafePickleException">The PyTorch file names a Python global outside <see cref="PyTorchFile.AllowedGlobals"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a folder, FIFO or device, not a regular file.</exception>
    public static void LoadPretrainedEncoder(MaeClassifier model, string path, bool allowNonFinite = false)
    {
        using var checkpoint = new TensorSet(TensorFile.Load(path, ModelEntry));
        LoadPretrainedEncoder(model, checkpoint.Tensors, path, allowNonFinite);
    }

    /// <summary>
    /// Loads the encoder of a pre-trained MAE into a classifier, as MAE's <c>main_finetune.py</c> does. Decoder keys
    /// (<c>decoder_*</c>, <c>mask_token</c>) are dropped on purpose. With mean pooling the pre-training <c>norm</c> is
    /// dropped too and the only keys allowed to be missing are the new <c>fc_norm</c> and <c>head</c>; with class-token
    /// pooling <c>norm</c> is kept and only <c>head</c> may be missing. <c>pos_embed</c> is resampled when the
    /// checkpoint's grid differs.
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
        bool classToken = model.Options.Encoder.Pooling == FeaturePooling.ClassToken;
        var tensors = Unwrap(checkpoint)
            .Where(kv => !MaeViT.IsDecoderKey(kv.Key) && (classToken || !NormKeys.Contains(kv.Key)))
            .ToDictionary();
        using var resampled = Resample(tensors, model, source);

        string[] allowedMissing = classToken ? HeadKeys : [.. FcNormKeys, .. HeadKeys];
        var (missing, unexpected) = StateDictLoader.Load(model, tensors, strict: false, source: source, allowNonFinite: allowNonFinite);
        if (unexpected.Count > 0 || !missing.ToHashSet().SetEquals(allowedMissing))
            throw new InvalidDataException(
                $"{source} is not an MAE encoder checkpoint for this model: expected only {string.Join(", ", allowedMissing)} "
                + $"to be missing; missing: [{string.Join(", ", missing)}]; unexpected: [{string.Join(", ", unexpected)}].");
    }

    /// <summary>
    /// Loads a fine-tuned <c>models_vit</c> checkpoint (<c>.pth</c> or safetensors) into a classifier: encoder, final
    /// LayerNorm and, unless <paramref name="loadHead"/> is false, the classification head; every other key must match.
    /// A checkpoint fine-tuned with global pooling holds <c>fc_norm</c> and needs mean pooling; one fine-tuned with the
    /// class token holds <c>norm</c> and needs <see cref="FeaturePooling.ClassToken"/>.
    /// </summary>
    /// <param name="model">The classifier.</param>
    /// <param name="path">The checkpoint.</param>
    /// <param name="loadHead">False to keep the model's own head (e.g. an ImageNet checkpoint's 1000-class head when the
    /// model predicts 8 expressions, or features only).</param>
    /// <exception cref="InvalidDataException">The pooling does not fit the checkpoint, or keys or shapes differ; the message says what to change.</exception>
    /// <exception cref="UnsafePickleException">The PyTorch file names a Python global outside <see cref="PyTorchFile.AllowedGlobals"/>.</exception>
    public static void LoadFineTuned(MaeClassifier model, string path, bool loadHead = true)
    {
        using var checkpoint = new TensorSet(TensorFile.Load(path, ModelEntry));
        LoadFineTuned(model, checkpoint.Tensors, path, loadHead);
    }

    /// <summary>Loads a fine-tuned <c>models_vit</c> state dict into a classifier; see <see cref="LoadFineTuned(MaeClassifier, string, bool)"/>.</summary>
    /// <exception cref="InvalidDataException">The pooling does not fit the checkpoint, or keys or shapes differ; the message says what to change.</exception>
    public static void LoadFineTuned(MaeClassifier model, IReadOnlyDictionary<string, Tensor> checkpoint, string source = "checkpoint", bool loadHead = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tensors = Unwrap(checkpoint);
        var pooling = model.Options.Encoder.Pooling;
        if (tensors.ContainsKey(FcNormKeys[0]) && pooling == FeaturePooling.ClassToken)
            throw new InvalidDataException($"{source} was fine-tuned with global pooling (it holds fc_norm): build the classifier with Encoder.Pooling = FeaturePooling.MeanPatchTokens.");
        if (!tensors.ContainsKey(FcNormKeys[0]) && tensors.ContainsKey(NormKeys[0]) && pooling == FeaturePooling.MeanPatchTokens)
            throw new InvalidDataException($"{source} was fine-tuned on the class token (it holds norm, no fc_norm): build the classifier with Encoder.Pooling = FeaturePooling.ClassToken, "
                + "or load it as a pre-trained encoder with LoadPretrainedEncoder.");
        using var resampled = Resample(tensors, model, source);
        if (loadHead)
        {
            StateDictLoader.Load(model, tensors, strict: true, source: source);
            return;
        }
        var (missing, unexpected) = StateDictLoader.Load(model, tensors, strict: false, ignoredKeys: HeadKeys, source: source);
        var missingBesidesHead = missing.Except(HeadKeys).ToList();
        if (missingBesidesHead.Count > 0 || unexpected.Count > 0)
            throw new InvalidDataException($"Cannot load {source} into {model.GetName()} (head left out): missing keys: [{string.Join(", ", missingBesidesHead)}]; unexpected keys: [{string.Join(", ", unexpected)}].");
    }

    /// <summary>Removes the <c>model.</c> prefix that MAE's training script saves weights under, when every key has it.</summary>
    public static Dictionary<string, Tensor> Unwrap(IReadOnlyDictionary<string, Tensor> checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        const string prefix = ModelEntry + ".";
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

    // Replaces pos_embed by a copy resampled to the model's grid when the grids differ; the caller disposes the copy.
    private static Tensor? Resample(Dictionary<string, Tensor> tensors, MaeClassifier model, string source)
    {
        var resampled = tensors.TryGetValue("pos_embed", out var pos) ? InterpolatePosEmbed(pos, model.Options.Encoder.GridSize, source) : null;
        if (resampled is not null) tensors["pos_embed"] = resampled;
        return resampled;
    }

    private sealed class TensorSet(Dictionary<string, Tensor> tensors) : IDisposable
    {
        public Dictionary<string, Tensor> Tensors { get; } = tensors;

        public void Dispose() => TensorFile.DisposeAll(Tensors);
    }
}
