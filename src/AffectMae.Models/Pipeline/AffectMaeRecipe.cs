// Every setting of a run as data, in one object: what the paper's text fixes (Zhou et al., ABAW 2024, §3–4), what
// our scaled-down demo uses, and anything a user changes in between. Presets are named like MAE's model factories.
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AffectMae.Core.Data;
using AffectMae.Core.Segmentation;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Data;
using AffectMae.Models.Mae;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;
using Microsoft.Extensions.Configuration;

namespace AffectMae.Models.Pipeline;

/// <summary>
/// Every setting of a run: the frames' normalisation, the MAE ViT (image size, patches, widths, mask ratio, feature
/// pooling), the fine-tuning head, which frames each stage reads, the windows (w, s), the temporal model — ours, with
/// the windows, the temporal optimisation block and inference, or the authors' released one, whose section
/// (<see cref="AuthorsTemporal"/>) holds all of its own — the three optimisation blocks, inference and the seed. Start from a
/// preset (<see cref="Demo"/>, <see cref="Paper"/>, <see cref="Authors"/>), change
/// what you need, and check it with <see cref="AffectMaeRecipeValidator"/> (every pipeline call does); save and load it
/// as JSON (<see cref="Save"/>, <see cref="Load"/>) or bind it from configuration (<see cref="FromConfiguration"/>,
/// section <c>AffectMae:Recipe</c>).
/// </summary>
public sealed class AffectMaeRecipe
{
    /// <summary>The configuration section of the recipe (under <c>AffectMae</c>).</summary>
    public const string SectionName = "Recipe";

    /// <summary>The name recorded in model manifests and reports. <value>The default value is "paper".</value></summary>
    public string Name { get; set; } = "paper";

    /// <summary>
    /// Seed of every stage (weights, data order, masks, dropout); each optimisation block's
    /// <see cref="OptimizationOptions.Seed"/> must equal it (<see cref="WithSeed"/> sets them all).
    /// <value>The default value is 0.</value>
    /// </summary>
    public int Seed { get; set; }

    /// <summary>
    /// How faces are cut from videos into training frames (the <c>crop</c> verb of the CLI, or AffectMae.Video's
    /// cropper): every encoder bundle records it, so prediction from a video or photo crops the same way. Aff-Wild2's
    /// frames come cropped already; the default describes them as well as is known.
    /// <value>The default value is <see cref="FaceCropOptions"/>' defaults (112², a quarter of the face on every side, eyes level).</value>
    /// </summary>
    [JsonPropertyName(FaceCropOptions.SectionName)]
    public FaceCropOptions FaceCrop { get; set; } = new();

    /// <summary>Per-channel normalisation of the frames fed to the encoder. <value>The default value is ImageNet's.</value></summary>
    [JsonPropertyName(NormalizationOptions.SectionName)]
    public NormalizationOptions Normalization { get; set; } = new();

    /// <summary>The MAE ViT: image size, patches, widths, mask ratio and feature pooling. <value>The default value is ViT-B/16 at 224.</value></summary>
    [JsonPropertyName(MaeViTOptions.SectionName)]
    public MaeViTOptions Mae { get; set; } = MaeViTOptions.Base16Dec512D8;

    /// <summary>The fine-tuning head on the encoder. <value>The default value is MAE's ViT-B recipe (no dropout, layer decay 0.75).</value></summary>
    [JsonPropertyName(ClassifierHeadOptions.SectionName)]
    public ClassifierHeadOptions Classifier { get; set; } = new();

    /// <summary>Which frames the image stages read. <value>The default value is every frame.</value></summary>
    [JsonPropertyName(FrameSamplingOptions.SectionName)]
    public FrameSamplingOptions Sampling { get; set; } = new();

    /// <summary>Windows of the temporal model. <value>The default value is the paper's w = 300, s = 200.</value></summary>
    [JsonPropertyName(SegmentationOptions.SectionName)]
    public SegmentationOptions Segmentation { get; set; } = new();

    /// <summary>
    /// Which temporal model the recipe trains (<see cref="TemporalVariant.Full"/>): ours
    /// (<see cref="SequenceModel"/> with <see cref="Segmentation"/>, <see cref="OptimizationBlocks.Temporal"/> and
    /// <see cref="Inference"/>) or the authors' (everything in <see cref="AuthorsTemporal"/>).
    /// <value>The default value is <see cref="TemporalModelKind.AffectSequenceModel"/>.</value>
    /// </summary>
    [EnumDataType(typeof(TemporalModelKind), ErrorMessage = "Recipe.TemporalModel must be AffectSequenceModel (ours) or AuthorsTemporalModel (the authors' released model).")]
    public TemporalModelKind TemporalModel { get; set; } = TemporalModelKind.AffectSequenceModel;

    /// <summary>Our temporal model: TCN → Transformer → heads. <value>The default value is the paper's (see <see cref="Paper"/>).</value></summary>
    [JsonPropertyName(AffectSequenceModelOptions.SectionName)]
    public AffectSequenceModelOptions SequenceModel { get; set; } = PaperSequenceModel();

    /// <summary>
    /// The authors' released temporal stage, self-contained: model sizes and tasks, training windows, each task's
    /// optimisation, their CCC form, drop-last batches and their inference. Trained when <see cref="TemporalModel"/>
    /// says so, or next to ours as <see cref="TemporalVariant.Authors"/>. Its TCN reads the encoder's features
    /// (<c>AuthorsTemporal.Tcn.InputDim</c> = <c>Mae.EmbedDim</c>). <value>The default value is <see cref="AuthorsTemporalOptions.Released"/>.</value>
    /// </summary>
    [JsonPropertyName(AuthorsTemporalOptions.SectionName)]
    public AuthorsTemporalOptions AuthorsTemporal { get; set; } = AuthorsTemporalOptions.Released;

    /// <summary>The optimisation of the three training stages. <value>The default value is the paper's.</value></summary>
    [JsonPropertyName(OptimizationOptions.SectionName)]
    public OptimizationBlocks Optimization { get; set; } = new();

    /// <summary>How trained models run: frames an encoder call. <value>The default value is 64 frames.</value></summary>
    [JsonPropertyName(InferenceOptions.SectionName)]
    public InferenceOptions Inference { get; set; } = new();

    /// <summary>Frame side fed to the ViT (the one home of this number is <see cref="MaeViTOptions.ImageSize"/>).</summary>
    [JsonIgnore]
    public int ImageSize => Mae.ImageSize;

    /// <summary>
    /// The paper's recipe (§3–4): ViT-B/16 at 224 pre-trained as an MAE with 75 % of the patches masked (AdamW 5e-4,
    /// batch 1024), fine-tuned on the 8 expressions (AdamW 1e-4, batch 256), windows of 300 frames with stride 200,
    /// TCN → Transformer → heads with dropout 0.3 trained with AdamW 3e-5, weight decay 1e-5, batch 32, one warm-up
    /// epoch then cosine. Sizes the paper does not give are <see cref="AffectSequenceModelOptions.Base768D512"/>'s.
    /// </summary>
    public static AffectMaeRecipe Paper => new();

    /// <summary>
    /// The demo's recipe, sized for two CPU cores in minutes: 64-px frames into a 4-block, 96-wide ViT with 8-px
    /// patches; every 4th frame for pre-training and every 3rd for fine-tuning; windows of 100 with stride 25; a
    /// 64-wide TCN (two blocks) and Transformer (two layers); the temporal stage at 5e-4, batch 8, 30 epochs (the
    /// paper's 3e-5 is for 768-d features and far more data). Its <see cref="AuthorsTemporal"/> section is the authors' model
    /// and protocol at this scale (TCN [96, 64, 32] → width 64, 2 layers → 32), trained at the same rate and batch.
    /// </summary>
    public static AffectMaeRecipe Demo
    {
        get
        {
            const int width = 64, window = 100, stride = 25;
            var mae = new MaeViTOptions { ImageSize = 64, PatchSize = 8, EmbedDim = 96, Depth = 4, NumHeads = 4, DecoderEmbedDim = 64, DecoderDepth = 2, DecoderNumHeads = 4 };
            return new AffectMaeRecipe
            {
                Name = "demo",
                Mae = mae,
                Sampling = new FrameSamplingOptions { PretrainStride = 4, FineTuneStride = 3 },
                Segmentation = new SegmentationOptions { WindowLength = window, Stride = stride },
                SequenceModel = new AffectSequenceModelOptions
                {
                    InputDim = mae.EmbedDim,
                    Tcn = new TemporalConvNetOptions { InputDim = mae.EmbedDim, Channels = [width, width], KernelSize = 3, Dropout = 0.3 },
                    Transformer = new SegmentTransformerOptions { DModel = width, NumHeads = 4, NumLayers = 2, FeedForwardDim = 2 * width, Dropout = 0.3, MaxLength = window },
                    Heads = new TaskHeadsOptions { InputDim = width, HiddenDim = width, Dropout = 0.3 },
                },
                Optimization = new OptimizationBlocks
                {
                    Pretraining = new OptimizationOptions { LearningRate = 1.5e-3, Epochs = 40, WarmupEpochs = 1, BatchSize = 64, WeightDecay = 0.05, Beta2 = 0.95 },
                    FineTuning = new OptimizationOptions { LearningRate = 1e-3, Epochs = 12, WarmupEpochs = 1, BatchSize = 64, WeightDecay = 0.05 },
                    Temporal = new OptimizationOptions { LearningRate = 5e-4, Epochs = 30, WarmupEpochs = 1, BatchSize = 8, WeightDecay = 1e-5 },
                },
                Inference = new InferenceOptions { EncoderBatchSize = 128 },
                AuthorsTemporal = DemoAuthors(mae.EmbedDim, window, stride),
            };
        }
    }

    /// <summary>
    /// The authors' released recipe (GitHub upczww/abaw6): the paper's encoder stages, then their temporal model — one
    /// <see cref="AuthorsTemporalModel"/> a task, causal weight-normed TCN [768, 256, 128] → 1×1 projection to 512 → 8
    /// post-norm layers → Linear-BatchNorm-Linear, dropout 0 — trained as their code does: windows of 300 with stride
    /// 200 and the tail dropped, a loader that drops the last short batch, AdamW lr 3e-5 with weight decay 1e-5 on every
    /// parameter, batch 32, warm-up from 1e-8 over 2 epochs then cosine with warm restarts, their CCC form summed over
    /// valence and arousal, 40 / 10 / 30 epochs for valence/arousal, expressions and action units; predicting on
    /// non-overlapping windows with valence/arousal clipped, expressions mode-filtered over 40 frames and action units
    /// present above 0.5 (<see cref="InferenceOptions.Released"/>).
    /// </summary>
    public static AffectMaeRecipe Authors
    {
        get
        {
            var recipe = Paper;
            recipe.Name = "authors";
            recipe.TemporalModel = TemporalModelKind.AuthorsTemporalModel;
            recipe.AuthorsTemporal = AuthorsTemporalOptions.Released;
            return recipe;
        }
    }

    /// <summary>The preset names <see cref="Preset"/> knows, lower case.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["demo", "paper", "authors"];

    /// <summary>A new copy of the preset called <paramref name="name"/> (case-insensitive).</summary>
    /// <param name="name">One of <see cref="PresetNames"/>.</param>
    /// <returns>The preset.</returns>
    /// <exception cref="ArgumentException">No preset has that name; the message lists the names.</exception>
    public static AffectMaeRecipe Preset(string name) => name?.ToLowerInvariant() switch
    {
        "demo" => Demo,
        "paper" => Paper,
        "authors" => Authors,
        _ => throw new ArgumentException($"There is no recipe preset '{name}'; use one of: {string.Join(", ", PresetNames)}, or a recipe JSON file.", nameof(name)),
    };

    /// <summary>A copy with every stage's seed set to <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>The copy.</returns>
    public AffectMaeRecipe WithSeed(int seed)
    {
        var copy = Copy();
        copy.Seed = seed;
        foreach (var block in copy.OptimizationStages()) block.Seed = seed;
        return copy;
    }

    /// <summary>Every optimisation block of the recipe: the three stages', then the authors' models'.</summary>
    public IEnumerable<OptimizationOptions> OptimizationStages() => Optimization.Stages().Concat(AuthorsTemporal.Optimization.Stages());

    /// <summary>The temporal model <paramref name="variant"/> trains: its own kind, or the recipe's <see cref="TemporalModel"/>.</summary>
    /// <param name="variant">Which row.</param>
    public TemporalModelKind TemporalModelOf(TemporalVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return variant.Model ?? TemporalModel;
    }

    /// <summary>How <paramref name="variant"/>'s model predicts: the recipe's <see cref="Inference"/> for ours, <c>AuthorsTemporal.Inference</c> for the authors'.</summary>
    /// <param name="variant">Which row.</param>
    /// <returns>A copy.</returns>
    public InferenceOptions InferenceOf(TemporalVariant variant) =>
        RecipeJson.Copy(TemporalModelOf(variant) == TemporalModelKind.AuthorsTemporalModel ? AuthorsTemporal.Inference : Inference);

    /// <summary>An independent deep copy.</summary>
    public AffectMaeRecipe Copy() => RecipeJson.Copy(this);

    /// <summary>The encoder transform of evaluation and feature extraction: resize to <see cref="ImageSize"/> (bicubic), then normalise.</summary>
    public ImageTransform EvalTransform() => ImageTransform.Eval(ImageSize, Normalization.ToNormalization());

    /// <summary>The pre-training augmentation (MAE's RandomResizedCrop and flip) at <see cref="ImageSize"/>, with <see cref="Normalization"/>.</summary>
    public ImageTransform PretrainingTransform() =>
        new(ImageSize, new RandomResizedCrop(0.2, 1.0), 0.5, Normalization.ToNormalization(), ResizeFilter.Bicubic);

    /// <summary>The fine-tuning model's options: the recipe's encoder with its head.</summary>
    public MaeClassifierOptions ClassifierOptions() => new()
    {
        Encoder = RecipeJson.Copy(Mae), HeadDropout = Classifier.HeadDropout, LayerDecay = Classifier.LayerDecay,
    };

    /// <summary>The temporal model of <paramref name="variant"/> (the recipe's, with the variant's TCN and Transformer switches).</summary>
    /// <param name="variant">Which ablation row.</param>
    /// <returns>A new options object.</returns>
    public AffectSequenceModelOptions SequenceModelFor(TemporalVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        var options = RecipeJson.Copy(SequenceModel);
        options.UseTcn = variant.UseTcn;
        options.UseTransformer = variant.UseTransformer;
        return options;
    }

    /// <summary>Writes the recipe as indented JSON, atomically (a temporary file, then a rename).</summary>
    /// <param name="path">The file.</param>
    public void Save(string path) => RecipeJson.Save(this, path);

    /// <summary>
    /// Reads a recipe JSON file: its values are laid over the preset named in its <c>"Preset"</c> field (default
    /// <c>paper</c>), so a file may hold only what it changes. A top-level <c>"Seed"</c> reaches every stage unless a
    /// stage names its own. The result is validated.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The recipe.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is not valid JSON, names an unknown setting or holds a wrong value; the message names the file, the setting and what to change.</exception>
    public static AffectMaeRecipe Load(string path) => RecipeJson.Load(path);

    /// <summary>Reads a recipe from a JSON text (see <see cref="Load"/>); <paramref name="source"/> names it in messages.</summary>
    public static AffectMaeRecipe Parse(string json, string source = "recipe") => RecipeJson.Parse(json, source);

    /// <summary>
    /// Binds a recipe from configuration: <c>Preset</c> (default <c>paper</c>) then every setting the section names,
    /// with the same names as the JSON form (e.g. <c>AffectMae:Recipe:Mae:Depth</c>,
    /// <c>AffectMae:Recipe:Optimization:Temporal:Epochs</c>, <c>AffectMae:Recipe:SequenceModel:Tcn:Channels:0</c>).
    /// A list given in configuration replaces the preset's list. The result is validated.
    /// </summary>
    /// <param name="section">The <c>AffectMae:Recipe</c> section (may be empty).</param>
    /// <returns>The recipe.</returns>
    /// <exception cref="InvalidDataException">A setting is unknown or has a wrong value; the message names its configuration path.</exception>
    public static AffectMaeRecipe FromConfiguration(IConfiguration section) => RecipeJson.FromConfiguration(section);

    /// <summary>The recipe as a JSON object (every setting; stage seeds left to <see cref="Seed"/>).</summary>
    public JsonObject ToJson() => RecipeJson.ToJson(this);

    // The authors' stage at the demo's scale: their architecture and protocol at 96-d features (TCN [96, 64, 32],
    // kernel 5, dilations 1/2/4 → 1×1 projection to 64 → 2 post-norm layers → 32 → outputs), windows of 100 with the
    // demo's stride and the tail dropped, their schedule, CCC form, decay and epochs (40/10/30) with our demo's rate and
    // batch (their 3e-5 at batch 32 is for 768-d features and far more data), their inference.
    private static AuthorsTemporalOptions DemoAuthors(int features, int window, int stride)
    {
        var options = new AuthorsTemporalOptions
        {
            Tcn = new CausalTemporalConvNetOptions { InputDim = features, Channels = [features, 64, 32], KernelSize = 5, Dropout = 0 },
            Transformer = new ProjectedSegmentTransformerOptions { InputDim = 32, DModel = 64, NumHeads = 4, NumLayers = 2, FeedForwardDim = 64, Dropout = 0 },
            HeadHiddenDim = 32,
            Segmentation = new SegmentationOptions { WindowLength = window, Stride = stride, Tail = WindowTail.Drop },
        };
        foreach (var block in options.Optimization.Stages()) (block.LearningRate, block.BatchSize) = (5e-4, 8);
        return options;
    }

    private static AffectSequenceModelOptions PaperSequenceModel()
    {
        var options = AffectSequenceModelOptions.Base768D512;
        options.Tcn.Dropout = options.Transformer.Dropout = options.Heads.Dropout = 0.3;
        options.Transformer.MaxLength = 300;
        return options;
    }
}
