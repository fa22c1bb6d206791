// Every setting of a run as data, in one object: what the paper's text fixes (Zhou et al., ABAW 2024, §3–4), what
// our scaled-down demo uses, and anything a user changes in between. Presets are named like MAE's model factories.
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
/// pooling), the fine-tuning head, which frames each stage reads, the windows (w, s), the temporal model, the three
/// optimisation blocks, inference and the seed. Start from a preset (<see cref="Demo"/>, <see cref="Paper"/>), change
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

    /// <summary>The temporal model: TCN → Transformer → heads. <value>The default value is the paper's (see <see cref="Paper"/>).</value></summary>
    [JsonPropertyName(AffectSequenceModelOptions.SectionName)]
    public AffectSequenceModelOptions SequenceModel { get; set; } = PaperSequenceModel();

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
    /// paper's 3e-5 is for 768-d features and far more data).
    /// </summary>
    public static AffectMaeRecipe Demo
    {
        get
        {
            const int width = 64, window = 100;
            var mae = new MaeViTOptions { ImageSize = 64, PatchSize = 8, EmbedDim = 96, Depth = 4, NumHeads = 4, DecoderEmbedDim = 64, DecoderDepth = 2, DecoderNumHeads = 4 };
            return new AffectMaeRecipe
            {
                Name = "demo",
                Mae = mae,
                Sampling = new FrameSamplingOptions { PretrainStride = 4, FineTuneStride = 3 },
                Segmentation = new SegmentationOptions { WindowLength = window, Stride = 25 },
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
            };
        }
    }

    /// <summary>The preset names <see cref="Preset"/> knows, lower case.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["demo", "paper"];

    /// <summary>A new copy of the preset called <paramref name="name"/> (case-insensitive).</summary>
    /// <param name="name">One of <see cref="PresetNames"/>.</param>
    /// <returns>The preset.</returns>
    /// <exception cref="ArgumentException">No preset has that name; the message lists the names.</exception>
    public static AffectMaeRecipe Preset(string name) => name?.ToLowerInvariant() switch
    {
        "demo" => Demo,
        "paper" => Paper,
        _ => throw new ArgumentException($"There is no recipe preset '{name}'; use one of: {string.Join(", ", PresetNames)}, or a recipe JSON file.", nameof(name)),
    };

    /// <summary>A copy with every stage's seed set to <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>The copy.</returns>
    public AffectMaeRecipe WithSeed(int seed)
    {
        var copy = Copy();
        copy.Seed = seed;
        foreach (var block in copy.Optimization.Stages()) block.Seed = seed;
        return copy;
    }

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

    private static AffectSequenceModelOptions PaperSequenceModel()
    {
        var options = AffectSequenceModelOptions.Base768D512;
        options.Tcn.Dropout = options.Transformer.Dropout = options.Heads.Dropout = 0.3;
        options.Transformer.MaxLength = 300;
        return options;
    }
}
