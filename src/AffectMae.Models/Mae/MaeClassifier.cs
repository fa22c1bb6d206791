// Fine-tuning model, paper §3.2, after facebookresearch/mae models_vit.py with global_pool (CC BY-NC 4.0) and
// util/lr_decay.py. Keys are those of the official fine-tuned checkpoints.
using AffectMae.Models.Features;
using AffectMae.Models.Runtime;
using AffectMae.Core.Options;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AffectMae.Models.Mae;

/// <summary>
/// The MAE encoder with a classification head: logits = head(LN(mean of patch tokens)), or head(LN(class token)) with
/// <see cref="FeaturePooling.ClassToken"/> pooling (<see cref="MaeViTOptions.Pooling"/> of the encoder options). After
/// fine-tuning on the 8 expressions, <see cref="ExtractFeatures"/> is the per-frame feature extractor of the temporal
/// model. Keys as <c>models_vit.VisionTransformer</c>: with mean pooling the final LayerNorm is <c>fc_norm</c> (and there
/// is no <c>norm</c>), with the class token it is <c>norm</c>.
/// </summary>
public sealed class MaeClassifier : Module<Tensor, Tensor>, IFrameFeatureExtractor
{
    private readonly PatchEmbed patch_embed;
    private readonly Parameter cls_token;
    private readonly Parameter pos_embed;   // trained during fine-tuning, as in the official recipe
    private readonly ModuleList<Block> blocks;
    private readonly LayerNorm? fc_norm;     // mean pooling (models_vit global_pool=True); null with the class token
    private readonly LayerNorm? norm;        // class-token pooling (global_pool=False); null with mean pooling
    private readonly Dropout head_drop;      // parameter-free, kept as a field so forward names every step
    private readonly Linear head;

    private readonly MaeClassifierOptions options;

    /// <summary>Builds the classifier; load pre-trained encoder weights with <see cref="MaeCheckpoint.LoadPretrainedEncoder(MaeClassifier, string, bool)"/>.</summary>
    public MaeClassifier(MaeClassifierOptions? options = null, Device? device = null) : base(nameof(MaeClassifier))
    {
        this.options = options = OptionsValidation.ValidatedCopy(new MaeClassifierOptionsValidator(), options ?? new MaeClassifierOptions(), nameof(options));
        var o = options.Encoder;

        patch_embed = new PatchEmbed(o.ImageSize, o.PatchSize, o.InChannels, o.EmbedDim);
        cls_token = Parameter(zeros(1, 1, o.EmbedDim));
        pos_embed = Parameter(SinCosPositionEmbedding.Table2D(o.EmbedDim, o.GridSize, withClsToken: true).unsqueeze(0));
        blocks = new ModuleList<Block>(Enumerable.Range(0, o.Depth).Select(_ => new Block(o.EmbedDim, o.NumHeads, o.MlpRatio, o.LayerNormEps)).ToArray());
        if (o.Pooling == FeaturePooling.ClassToken)
            norm = LayerNorm(o.EmbedDim, o.LayerNormEps);
        else
            fc_norm = LayerNorm(o.EmbedDim, o.LayerNormEps);
        head_drop = Dropout(options.HeadDropout);
        head = Linear(o.EmbedDim, options.NumClasses);

        RegisterComponents();
        using (no_grad())
        {
            VitStem.InitializePatchEmbed(patch_embed);
            nn.init.normal_(cls_token, std: 0.02);
            VitStem.InitializeLinearAndNorm(this);
            nn.init.normal_(head.weight!, std: 2e-5);   // MAE's fine-tuning starts the head near zero (trunc_normal_(std=2e-5))
        }
        if (device is not null) this.to(device);
    }

    /// <summary>The sizes this model was built with.</summary>
    public MaeClassifierOptions Options => OptionsValidation.Copy(options);

    /// <summary>Feature size D of <see cref="ExtractFeatures"/>: the encoder width.</summary>
    public int FeatureDim => options.Encoder.EmbedDim;

    /// <summary>Expression logits [N, classes] for images [N, C, H, W].</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var features = ExtractFeatures(images);                          // LN(mean of patch tokens) or LN(cls)  [N, D]
        return scope.MoveToOuter(head.call(head_drop.call(features)));   // logits                    [N, classes]
    }

    /// <summary>
    /// The frame feature from the full (unmasked) encoder: LN(mean of the patch tokens), or LN(class token), [N, D]
    /// float32. The blocks run in the precision set by <see cref="UseInferencePrecision"/> (float32 unless changed);
    /// the pooling and the norm always run in float32.
    /// </summary>
    /// <param name="images">[N, C, H, W], normalised, float32 (any floating type is cast to the weights' type).</param>
    public Tensor ExtractFeatures(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = VitStem.EmbedPatches(patch_embed, pos_embed, images);
        x = VitStem.PrependClassToken(cls_token, pos_embed, x);
        x = VitStem.RunBlocks(blocks, x);
        var features = fc_norm is not null
            ? VitStem.GlobalPool(fc_norm, x)                             // global pool without cls token  [N, D]
            : VitStem.FinalNorm(norm!, x[.., 0]);                        // the class token  [N, D]
        return scope.MoveToOuter(features);
    }

    /// <summary>
    /// Prepares the classifier for inference in <paramref name="precision"/>: evaluation mode, and the weights cast
    /// once, in place — the blocks, embeddings and tokens to the chosen type; every LayerNorm (<c>fc_norm</c> or <c>norm</c>) and the
    /// head stay float32 (see <see cref="InferencePrecision.BFloat16"/>). Inputs stay float32 and
    /// <see cref="ExtractFeatures"/> and the logits come back as float32. Call it after the weights are loaded and the
    /// model is on its device. A classifier with reduced-precision weights refuses <c>train()</c>: the cast rounds the
    /// weights, so fine-tune a float32 copy.
    /// </summary>
    /// <param name="precision">The precision; <see cref="InferencePrecision.Auto"/> picks bfloat16 where the device runs it fast.</param>
    /// <param name="logger">Receives the choice and its reason.</param>
    /// <returns>What was picked and why.</returns>
    /// <exception cref="ArgumentException">Float16 on a device other than CUDA.</exception>
    public PrecisionChoice UseInferencePrecision(InferencePrecision precision, ILogger? logger = null) =>
        InferenceCasting.Apply(this, patch_embed.Device, precision, logger, fc_norm, norm, head);

    /// <summary>Sets training mode; refused while the weights are in a reduced inference precision.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="train"/> is true and <see cref="UseInferencePrecision"/> cast the weights below float32.</exception>
    public override void train(bool train = true)
    {
        InferenceCasting.ThrowIfTrainingReduced(train, patch_embed.ComputeType, nameof(MaeClassifier));
        base.train(train);
    }

    /// <summary>
    /// AdamW parameter groups with layer-wise learning-rate decay (MAE's <c>param_groups_lrd</c>): layer 0 is the
    /// embedding (cls_token, pos_embed, patch_embed), layer i + 1 is block i, layer depth + 1 the norm and head; a
    /// layer's rate is baseLr · decay^(depth + 1 − layer). As in <c>util/lr_decay.py</c> with <c>models_vit</c>'s
    /// <c>no_weight_decay()</c> list, 1-D parameters (biases, norms), <c>pos_embed</c> and <c>cls_token</c> get no weight decay.
    /// </summary>
    public IReadOnlyList<AdamW.ParamGroup> ParameterGroups(double baseLearningRate, double weightDecay)
    {
        int depth = options.Encoder.Depth, top = depth + 1;
        var groups = new SortedDictionary<(int Layer, bool Decay), List<Parameter>>();
        foreach (var (name, parameter) in named_parameters())
        {
            if (!parameter.requires_grad) continue;
            bool decay = parameter.dim() > 1 && name != "cls_token" && name != "pos_embed";
            int layer = name is "cls_token" or "pos_embed" || name.StartsWith("patch_embed.", StringComparison.Ordinal) ? 0
                : name.StartsWith("blocks.", StringComparison.Ordinal) ? int.Parse(name.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture) + 1
                : top;
            if (!groups.TryGetValue((layer, decay), out var list)) groups[(layer, decay)] = list = [];
            list.Add(parameter);
        }
        return groups.Select(g => new AdamW.ParamGroup(g.Value, new AdamW.Options
        {
            LearningRate = baseLearningRate * Math.Pow(options.LayerDecay, top - g.Key.Layer),
            weight_decay = g.Key.Decay ? weightDecay : 0.0,
        })).ToList();
    }
}
