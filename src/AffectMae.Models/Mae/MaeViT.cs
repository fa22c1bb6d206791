// Masked autoencoder with a ViT backbone: paper §3.1 (MAE pre-training), after facebookresearch/mae models_mae.py
// (CC BY-NC 4.0) and timm's ViT layers (Apache-2.0). Attribute names are the official checkpoint keys.
using AffectMae.Models.Features;
using AffectMae.Models.Runtime;
using AffectMae.Core.Options;
using Microsoft.Extensions.Logging;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Mae;

/// <summary>
/// Masked autoencoder (He et al., 2022, arXiv:2111.06377): the encoder sees a random 25 % of the patches, a light
/// decoder reconstructs every pixel, and the loss is the mean squared error on the removed patches only.
/// </summary>
public sealed class MaeViT : Module<Tensor, Tensor>, IFrameFeatureExtractor
{
    // --------------------------------------------------------------------------------------------------------------
    // encoder specifics
    private readonly PatchEmbed patch_embed;
    private readonly Parameter cls_token;
    private readonly Parameter pos_embed;          // fixed sin-cos table, not trained
    private readonly ModuleList<Block> blocks;
    private readonly LayerNorm norm;

    // --------------------------------------------------------------------------------------------------------------
    // decoder specifics
    private readonly Linear decoder_embed;
    private readonly Parameter mask_token;
    private readonly Parameter decoder_pos_embed;  // fixed sin-cos table, not trained
    private readonly ModuleList<Block> decoder_blocks;
    private readonly LayerNorm decoder_norm;
    private readonly Linear decoder_pred;          // decoder to patch pixels

    private readonly MaeViTOptions options;

    /// <summary>Builds the model with MAE's initialisation.</summary>
    /// <param name="options">Sizes; <see cref="MaeViTOptions.Base16Dec512D8"/> when null.</param>
    /// <param name="device">Where the parameters live; CPU when null.</param>
    public MaeViT(MaeViTOptions? options = null, Device? device = null) : base(nameof(MaeViT))
    {
        this.options = options = OptionsValidation.ValidatedCopy(new MaeViTOptionsValidator(), options ?? MaeViTOptions.Base16Dec512D8, nameof(options));
        var o = options;

        patch_embed = new PatchEmbed(o.ImageSize, o.PatchSize, o.InChannels, o.EmbedDim);
        cls_token = Parameter(zeros(1, 1, o.EmbedDim));
        pos_embed = Parameter(SinCosPositionEmbedding.Table2D(o.EmbedDim, o.GridSize, withClsToken: true).unsqueeze(0), requires_grad: false);
        blocks = new ModuleList<Block>(Enumerable.Range(0, o.Depth).Select(_ => new Block(o.EmbedDim, o.NumHeads, o.MlpRatio, o.LayerNormEps)).ToArray());
        norm = LayerNorm(o.EmbedDim, o.LayerNormEps);

        decoder_embed = Linear(o.EmbedDim, o.DecoderEmbedDim);
        mask_token = Parameter(zeros(1, 1, o.DecoderEmbedDim));
        decoder_pos_embed = Parameter(SinCosPositionEmbedding.Table2D(o.DecoderEmbedDim, o.GridSize, withClsToken: true).unsqueeze(0), requires_grad: false);
        decoder_blocks = new ModuleList<Block>(Enumerable.Range(0, o.DecoderDepth).Select(_ => new Block(o.DecoderEmbedDim, o.DecoderNumHeads, o.MlpRatio, o.LayerNormEps)).ToArray());
        decoder_norm = LayerNorm(o.DecoderEmbedDim, o.LayerNormEps);
        decoder_pred = Linear(o.DecoderEmbedDim, (long)o.PatchSize * o.PatchSize * o.InChannels);

        RegisterComponents();
        InitializeWeights();
        if (device is not null) this.to(device);
    }

    /// <summary>The sizes this model was built with.</summary>
    public MaeViTOptions Options => OptionsValidation.Copy(options);

    /// <summary>Feature size D of <see cref="ExtractFeatures"/>: the encoder width.</summary>
    public int FeatureDim => options.EmbedDim;

    /// <summary>Number of patches L.</summary>
    public int PatchCount => patch_embed.PatchCount;

    /// <summary>
    /// The encoder's parameters, in the order of the state dict (<c>cls_token</c>, <c>pos_embed</c>,
    /// <c>patch_embed.*</c>, <c>blocks.*</c>, <c>norm.*</c>).
    /// </summary>
    public IEnumerable<(string Name, Parameter Parameter)> EncoderParameters() =>
        named_parameters().Where(p => !IsDecoderKey(p.name)).Select(p => (p.name, p.parameter));

    /// <summary>Whether a state-dict key belongs to the decoder (dropped for fine-tuning).</summary>
    public static bool IsDecoderKey(string key) => key.StartsWith("decoder_", StringComparison.Ordinal) || key == "mask_token";

    /// <summary>Pre-training loss for a batch with <see cref="MaeViTOptions.MaskRatio"/> of the patches removed; see <see cref="Forward"/>.</summary>
    public override Tensor forward(Tensor images)
    {
        var (loss, pred, mask) = Forward(images, options.MaskRatio);
        pred.Dispose();
        mask.Dispose();
        return loss;
    }

    /// <summary>The whole MAE: encode the kept patches, decode every patch, score the removed ones.</summary>
    /// <param name="images">[N, C, H, W], float32.</param>
    /// <param name="maskRatio">Fraction of patches removed, in [0, 1).</param>
    /// <param name="noise">Optional [N, L] noise that decides the mask (lowest values are kept); random when null.</param>
    /// <returns>loss (scalar), pred [N, L, p·p·C], mask [N, L] with 0 = keep, 1 = remove; all float32.</returns>
    public (Tensor Loss, Tensor Pred, Tensor Mask) Forward(Tensor images, double maskRatio = 0.75, Tensor? noise = null)
    {
        using var scope = NewDisposeScope();
        var (latent, mask, idsRestore) = ForwardEncoder(images, maskRatio, noise);
        var pred = ForwardDecoder(latent, idsRestore);       // [N, L, p*p*C]
        var loss = ForwardLoss(images, pred, mask);          // mean squared error on removed patches
        return (scope.MoveToOuter(loss), scope.MoveToOuter(pred), scope.MoveToOuter(mask));
    }

    /// <summary>Encoder on a random subset of patches.</summary>
    /// <returns>latent [N, 1 + L·(1−r), D] float32 (class token first), mask [N, L] (0 keep, 1 remove), ids_restore [N, L].</returns>
    public (Tensor Latent, Tensor Mask, Tensor IdsRestore) ForwardEncoder(Tensor images, double maskRatio, Tensor? noise = null)
    {
        using var scope = NewDisposeScope();
        var x = VitStem.EmbedPatches(patch_embed, pos_embed, images);               // embed patches, add positions  [N, L, D]
        var (kept, mask, idsRestore) = RandomMasking(x, maskRatio, noise);         // keep L·(1−r) patches        [N, L', D]
        x = VitStem.PrependClassToken(cls_token, pos_embed, kept);                 // append cls token            [N, 1+L', D]
        x = VitStem.RunBlocks(blocks, x);                                           // Transformer blocks
        x = VitStem.FinalNorm(norm, x);                                             // float32 out
        return (scope.MoveToOuter(x), scope.MoveToOuter(mask), scope.MoveToOuter(idsRestore));
    }

    /// <summary>Decoder: fills removed positions with the mask token, unshuffles, predicts every patch's pixels.</summary>
    /// <param name="latent">[N, 1 + L', D] from <see cref="ForwardEncoder"/>.</param>
    /// <param name="idsRestore">[N, L] from <see cref="ForwardEncoder"/>.</param>
    /// <returns>[N, L, p·p·C], float32.</returns>
    public Tensor ForwardDecoder(Tensor latent, Tensor idsRestore)
    {
        using var scope = NewDisposeScope();
        var x = decoder_embed.call(InferenceCasting.As(latent, patch_embed.ComputeType));       // embed tokens [N, 1+L', Dd]
        long batch = x.shape[0], patches = idsRestore.shape[1], width = x.shape[2];
        var maskTokens = mask_token.expand(batch, patches + 1 - x.shape[1], width);               // one for each removed patch
        var shuffled = cat([x[.., 1..], maskTokens], 1);                                          // no cls token [N, L, Dd]
        var unshuffled = shuffled.gather(1, idsRestore.unsqueeze(-1).expand(-1, -1, width));     // original order
        x = cat([x[.., ..1], unshuffled], 1) + decoder_pos_embed;                                 // append cls, add positions
        x = VitStem.RunBlocks(decoder_blocks, x);
        x = decoder_pred.call(decoder_norm.call(x));                                              // predictor projection
        return scope.MoveToOuter(InferenceCasting.AsFloat32(x[.., 1..]));                         // remove cls token
    }

    /// <summary>
    /// Mean squared error per patch, averaged over the removed patches only; with
    /// <see cref="MaeViTOptions.NormPixLoss"/>, targets are normalised per patch by their mean and (unbiased)
    /// variance + 1e-6.
    /// </summary>
    /// <param name="images">[N, C, H, W].</param>
    /// <param name="pred">[N, L, p·p·C].</param>
    /// <param name="mask">[N, L], 0 keep, 1 remove.</param>
    public Tensor ForwardLoss(Tensor images, Tensor pred, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var target = Patchify(images);                                      // [N, L, p*p*C]
        if (options.NormPixLoss)
        {
            var mean = target.mean([-1L], keepdim: true);
            var variance = target.var(-1L, unbiased: true, keepdim: true);
            target = (target - mean) / (variance + 1e-6).sqrt();
        }
        var perPatch = (pred - target).square().mean([-1L]);                  // [N, L], mean loss per patch
        return scope.MoveToOuter((perPatch * mask).sum() / mask.sum());      // mean loss on removed patches
    }

    /// <summary>
    /// Per-sample random masking by sorting noise (MAE's <c>random_masking</c>): the patches with the lowest noise are
    /// kept. Exactly ⌊L·(1 − <paramref name="maskRatio"/>)⌋ patches stay.
    /// </summary>
    /// <param name="x">[N, L, D] patch tokens.</param>
    /// <param name="maskRatio">Fraction removed, in [0, 1).</param>
    /// <param name="noise">[N, L] noise, or null for uniform random noise.</param>
    /// <returns>kept tokens [N, L', D], mask [N, L] (0 keep, 1 remove), ids_restore [N, L].</returns>
    public static (Tensor Kept, Tensor Mask, Tensor IdsRestore) RandomMasking(Tensor x, double maskRatio, Tensor? noise = null)
    {
        if (!(maskRatio >= 0 && maskRatio < 1))
            throw new ArgumentOutOfRangeException(nameof(maskRatio), maskRatio, "The mask ratio must be in [0, 1): the fraction of patches removed (the paper uses 0.75).");
        long batch = x.shape[0], length = x.shape[1], width = x.shape[2];
        if (noise is not null && (noise.dim() != 2 || noise.shape[0] != batch || noise.shape[1] != length))
            throw new ArgumentException($"Noise must have shape [{batch}, {length}]; got [{string.Join(", ", noise.shape)}].", nameof(noise));
        long keep = (long)(length * (1 - maskRatio));

        using var scope = NewDisposeScope();
        noise ??= rand(batch, length, device: x.device);                     // noise in [0, 1)
        var idsShuffle = noise.argsort(1);                                    // ascend: small is keep, large is remove
        var idsRestore = idsShuffle.argsort(1);
        var idsKeep = idsShuffle[.., ..(int)keep];
        var kept = x.gather(1, idsKeep.unsqueeze(-1).expand(-1, -1, width));
        var mask = ones(batch, length, device: x.device);                    // binary mask: 0 is keep, 1 is remove
        mask[.., ..(int)keep] = 0;
        mask = mask.gather(1, idsRestore);                                    // unshuffle to the original order
        return (scope.MoveToOuter(kept), scope.MoveToOuter(mask), scope.MoveToOuter(idsRestore));
    }

    /// <summary>Images [N, C, H, W] → patches [N, L, p·p·C], pixel order (p, q, c) within a patch as in MAE.</summary>
    public Tensor Patchify(Tensor images)
    {
        int p = options.PatchSize, h = options.GridSize, c = options.InChannels;
        using var scope = NewDisposeScope();
        var x = images.reshape(images.shape[0], c, h, p, h, p);
        x = einsum("nchpwq->nhwpqc", x);
        return scope.MoveToOuter(x.reshape(images.shape[0], h * h, p * p * c));
    }

    /// <summary>Patches [N, L, p·p·C] → images [N, C, H, W]; the inverse of <see cref="Patchify"/>.</summary>
    public Tensor Unpatchify(Tensor patches)
    {
        int p = options.PatchSize, h = options.GridSize, c = options.InChannels;
        if (patches.dim() != 3 || patches.shape[1] != h * h || patches.shape[2] != p * p * c)
            throw new ArgumentException($"Expected patches [N, {h * h}, {p * p * c}]; got [{string.Join(", ", patches.shape)}].", nameof(patches));
        using var scope = NewDisposeScope();
        var x = patches.reshape(patches.shape[0], h, h, p, p, c);
        x = einsum("nhwpqc->nchpwq", x);
        return scope.MoveToOuter(x.reshape(patches.shape[0], c, h * p, h * p));
    }

    /// <summary>
    /// One feature vector an image from the encoder on all patches (no masking):
    /// LN(mean of patch tokens) or LN(x)[cls], chosen by <see cref="MaeViTOptions.Pooling"/>. The blocks run in the
    /// precision set by <see cref="UseInferencePrecision"/>; the pooling and the norm always run in float32.
    /// </summary>
    /// <param name="images">[N, C, H, W], normalised, float32.</param>
    /// <returns>[N, D], float32.</returns>
    public Tensor ExtractFeatures(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = VitStem.EmbedPatches(patch_embed, pos_embed, images);
        x = VitStem.PrependClassToken(cls_token, pos_embed, x);
        x = VitStem.RunBlocks(blocks, x);
        var features = options.Pooling == FeaturePooling.ClassToken
            ? VitStem.FinalNorm(norm, x[.., 0])                                     // LN(x)[cls]; LN acts on each token alone
            : VitStem.GlobalPool(norm, x);
        return scope.MoveToOuter(features);
    }

    /// <summary>
    /// Prepares the model for inference in <paramref name="precision"/>: evaluation mode, and the weights cast once, in
    /// place — blocks, embeddings, tokens and decoder projections to the chosen type; every LayerNorm stays float32 (see
    /// <see cref="InferencePrecision.BFloat16"/>). Inputs stay float32; features, predictions and the loss come back
    /// as float32. Call it after the weights are loaded and the model is on its device. A model with reduced-precision
    /// weights refuses <c>train()</c>: the cast rounds the weights, so pre-train a float32 copy.
    /// </summary>
    /// <param name="precision">The precision; <see cref="InferencePrecision.Auto"/> picks bfloat16 where the device runs it fast.</param>
    /// <param name="logger">Receives the choice and its reason.</param>
    /// <returns>What was picked and why.</returns>
    /// <exception cref="ArgumentException">Float16 on a device other than CUDA.</exception>
    public PrecisionChoice UseInferencePrecision(InferencePrecision precision, ILogger? logger = null) =>
        InferenceCasting.Apply(this, patch_embed.Device, precision, logger);

    /// <summary>Sets training mode; refused while the weights are in a reduced inference precision.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="train"/> is true and <see cref="UseInferencePrecision"/> cast the weights below float32.</exception>
    public override void train(bool train = true)
    {
        InferenceCasting.ThrowIfTrainingReduced(train, patch_embed.ComputeType, nameof(MaeViT));
        base.train(train);
    }

    private void InitializeWeights()
    {
        using var _ = no_grad();
        VitStem.InitializePatchEmbed(patch_embed);
        nn.init.normal_(cls_token, std: 0.02);     // timm's trunc_normal_(std=.02) is in effect normal_(std=.02): the cut-off is at ±2
        nn.init.normal_(mask_token, std: 0.02);
        VitStem.InitializeLinearAndNorm(this);
    }
}
