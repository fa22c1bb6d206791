using System.Reflection;
using System.Text.Json;
using AffectMae.Core.Data;
using AffectMae.Core.IO;
using AffectMae.Core.Options;
using AffectMae.Core.Segmentation;
using AffectMae.Metrics;
using AffectMae.Models.Evaluation;
using AffectMae.Models.IO;
using AffectMae.Models.Mae;
using AffectMae.Models.Temporal;

namespace AffectMae.Models.Pipeline;

/// <summary>What a model bundle holds.</summary>
public enum ModelKind
{
    /// <summary>A pre-trained MAE (encoder and decoder); its encoder gives the "without fine-tuning" features.</summary>
    MaskedAutoencoder,

    /// <summary>The encoder fine-tuned on expressions with its head: the paper's frame feature extractor.</summary>
    Encoder,

    /// <summary>A temporal model over windows of frame features.</summary>
    Temporal,
}

/// <summary>
/// The <c>model.json</c> of a model bundle: everything needed to rebuild the model its weights belong to, and the
/// SHA-256 of those weights. A bundle is a folder holding <c>model.json</c> and <c>model.safetensors</c>.
/// </summary>
public sealed class ModelManifest
{
    /// <summary>The manifest's file name in a bundle.</summary>
    public const string FileName = "model.json";

    /// <summary>The weights' file name in a bundle.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>
    /// The manifest format this library writes and the newest it reads. 2 adds the temporal model's kind
    /// (<see cref="TemporalManifest.Model"/>, the authors' models) and its inference options; format 1 manifests read as
    /// ours, predicting by overlap-average. 3 adds the encoder's face-crop rule (<see cref="EncoderManifest.FaceCrop"/>),
    /// which a format 3 encoder manifest must hold; format 1 and 2 encoder manifests read with
    /// <see cref="FaceCropOptions"/>' defaults.
    /// </summary>
    public const int CurrentFormatVersion = 3;

    /// <summary>The first format whose encoder manifests record <see cref="EncoderManifest.FaceCrop"/>.</summary>
    public const int FaceCropFormatVersion = 3;

    /// <summary>Format of this manifest; a newer one than <see cref="CurrentFormatVersion"/> is refused.</summary>
    public int FormatVersion { get; set; } = CurrentFormatVersion;

    /// <summary>What the bundle holds.</summary>
    public ModelKind Kind { get; set; }

    /// <summary>The name of the recipe the model was trained with.</summary>
    public string Recipe { get; set; } = "";

    /// <summary>The AffectMae version that wrote the bundle.</summary>
    public string LibraryVersion { get; set; } = "";

    /// <summary>Lower-case hexadecimal SHA-256 of <see cref="WeightsFileName"/>.</summary>
    public string WeightsSha256 { get; set; } = "";

    /// <summary>The frame encoder's settings (kinds <see cref="ModelKind.MaskedAutoencoder"/> and <see cref="ModelKind.Encoder"/>).</summary>
    public EncoderManifest? Encoder { get; set; }

    /// <summary>The temporal model's settings (kind <see cref="ModelKind.Temporal"/>).</summary>
    public TemporalManifest? Temporal { get; set; }

    /// <summary>The AffectMae.Models version this code is.</summary>
    public static string CurrentLibraryVersion { get; } =
        typeof(ModelManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(ModelManifest).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>
    /// Reads and checks the manifest of the bundle in <paramref name="folder"/>: its format version, its settings and the
    /// SHA-256 of the weights file.
    /// </summary>
    /// <param name="folder">The bundle folder.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="FileNotFoundException">The folder lacks <c>model.json</c> or <c>model.safetensors</c>.</exception>
    /// <exception cref="InvalidDataException">The manifest is damaged, newer than this library, inconsistent, or does not match its weights; the message names the file and the field.</exception>
    public static ModelManifest Read(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string path = Path.Combine(folder, FileName);
        if (!RegularFile.AnythingAt(path))
            throw new FileNotFoundException($"{path} does not exist: '{folder}' is not a model bundle (a folder with {FileName} and {WeightsFileName}).", path);
        string json = RegularFile.ReadAllText(path, "Model manifest", RecipeJson.MaxFileBytes);
        ModelManifest manifest;
        bool faceCropRecorded;
        try
        {
            using (var probe = JsonDocument.Parse(json))
            {
                if (probe.RootElement.ValueKind == JsonValueKind.Object
                    && probe.RootElement.TryGetProperty(nameof(FormatVersion), out var version)
                    && version.TryGetInt32(out int number) && number > CurrentFormatVersion)
                    throw new InvalidDataException($"{path}: field FormatVersion is {number}, newer than this library reads ({CurrentFormatVersion}); update AffectMae to {path}'s LibraryVersion or later.");
                faceCropRecorded = probe.RootElement.ValueKind == JsonValueKind.Object
                    && probe.RootElement.TryGetProperty(nameof(Encoder), out var encoder) && encoder.ValueKind == JsonValueKind.Object
                    && encoder.TryGetProperty(nameof(EncoderManifest.FaceCrop), out var crop) && crop.ValueKind != JsonValueKind.Null;
            }
            manifest = JsonSerializer.Deserialize<ModelManifest>(json, RecipeJson.Options)
                ?? throw new InvalidDataException($"{path} holds no manifest.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid model manifest ({e.Path ?? "$"}): {e.Message}", e);
        }
        manifest.Check(path);
        // A format 3 encoder manifest without its crop rule was edited by hand: reading it as the defaults would crop
        // unlike the training frames without a word. Older formats had no rule to record and read as the defaults.
        if (manifest.Encoder is not null && manifest.FormatVersion >= FaceCropFormatVersion && !faceCropRecorded)
            throw new InvalidDataException($"{path}: field Encoder.FaceCrop is missing; a format {manifest.FormatVersion} encoder manifest records how its training faces were cut "
                + $"(set it, or FormatVersion to {FaceCropFormatVersion - 1} to read it as {nameof(FaceCropOptions)}' defaults).");

        string weights = Path.Combine(folder, WeightsFileName);
        if (!File.Exists(weights))
            throw new FileNotFoundException($"{weights} does not exist: the bundle '{folder}' has a manifest but no weights.", weights);
        string actual = Sha256(weights);
        if (!string.Equals(actual, manifest.WeightsSha256, StringComparison.Ordinal))
            throw new InvalidDataException($"{path}: field WeightsSha256 is {PrintableText.Quote(manifest.WeightsSha256)}, but {weights} hashes to {actual}: the weights were changed or replaced after the bundle was saved.");
        return manifest;
    }

    // The weights hash to the recorded SHA-256, so they are as saved: a model that does not fit them was described by an
    // edited manifest (or one written by other code), and that is the file to name.
    internal static InvalidDataException DoesNotFitWeights(string folder, string field, InvalidDataException loading) =>
        new($"{Path.Combine(folder, FileName)}: the model that field {field} describes does not fit the bundle's weights, which are as saved "
            + $"(their SHA-256 matches), so the manifest was changed after saving: {loading.Message}", loading);

    /// <summary>Lower-case hexadecimal SHA-256 of a file.</summary>
    public static string Sha256(string path)
    {
        using var stream = RegularFile.OpenRead(path, "Weights file", 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(stream)).ToLowerInvariant();
    }

    /// <summary>Writes a bundle: the weights of <paramref name="stateDict"/> and this manifest (with their hash), into <paramref name="folder"/>, replacing any bundle there.</summary>
    /// <param name="folder">The bundle folder.</param>
    /// <param name="stateDict">The model's tensors.</param>
    internal void Save(string folder, IReadOnlyDictionary<string, TorchSharp.torch.Tensor> stateDict)
    {
        Check(Path.Combine(folder, FileName));
        AtomicFolder.Replace(folder, temporary =>
        {
            string weights = Path.Combine(temporary, WeightsFileName);
            SafeTensors.Save(weights, stateDict);
            WeightsSha256 = Sha256(weights);
            LibraryVersion = CurrentLibraryVersion;
            File.WriteAllText(Path.Combine(temporary, FileName), JsonSerializer.Serialize(this, RecipeJson.Options) + "\n");
        });
    }

    // The manifest's own consistency: the section its kind needs, valid settings, the label sets of this library.
    private void Check(string path)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(Kind)) failures.Add($"field Kind is {(int)Kind}, not one of {string.Join(", ", Enum.GetNames<ModelKind>())}");
        if (FormatVersion < 1) failures.Add($"field FormatVersion is {FormatVersion}; it starts at 1");
        if (Kind is ModelKind.Encoder or ModelKind.MaskedAutoencoder)
        {
            if (Encoder is null) failures.Add($"field Encoder is missing; a {Kind} bundle needs it");
            else failures.AddRange(Encoder.Failures(Kind).Select(f => $"field Encoder.{f}"));
        }
        if (Kind == ModelKind.Temporal)
        {
            if (Temporal is null) failures.Add("field Temporal is missing; a Temporal bundle needs it");
            else failures.AddRange(Temporal.Failures().Select(f => $"field Temporal.{f}"));
        }
        if (failures.Count > 0)
            throw new InvalidDataException($"{path}: {string.Join("; ", failures)}.");
    }
}

/// <summary>The settings of a frame encoder bundle.</summary>
public sealed class EncoderManifest
{
    /// <summary>The ViT (image size, patches, widths, feature pooling).</summary>
    public MaeViTOptions Mae { get; set; } = new();

    /// <summary>The fine-tuning head (kind <see cref="ModelKind.Encoder"/>), or null for a pre-trained MAE.</summary>
    public ClassifierHeadOptions? Classifier { get; set; }

    /// <summary>The classes of the head, in output order (kind <see cref="ModelKind.Encoder"/>).</summary>
    public List<string>? ClassNames { get; set; }

    /// <summary>Normalisation of the encoder's input.</summary>
    public NormalizationOptions Normalization { get; set; } = new();

    /// <summary>Feature size D of one frame (the encoder width).</summary>
    public int FeatureDim { get; set; }

    /// <summary>
    /// How the faces of the training frames were cut from their videos (the recipe's <see cref="AffectMaeRecipe.FaceCrop"/>):
    /// prediction from a video or photo crops the same way. <value>The default value is <see cref="FaceCropOptions"/>' defaults,
    /// the approximation of Aff-Wild2's <c>cropped_aligned</c> frames; a manifest of format 1 or 2, written before this field existed, reads as them.</value>
    /// </summary>
    public FaceCropOptions FaceCrop { get; set; } = new();

    internal IEnumerable<string> Failures(ModelKind kind)
    {
        foreach (var f in OptionsValidation.NestedFailures(new MaeViTOptionsValidator(), Mae, "Mae")) yield return f;
        foreach (var f in OptionsValidation.NestedFailures(new NormalizationOptionsValidator(), Normalization, "Normalization")) yield return f;
        foreach (var f in OptionsValidation.NestedFailures(new FaceCropOptionsValidator(), FaceCrop, "FaceCrop")) yield return f;
        if (Mae is not null && FeatureDim != Mae.EmbedDim) yield return $"FeatureDim is {FeatureDim} but Mae.EmbedDim is {Mae.EmbedDim}";
        if (kind == ModelKind.Encoder)
        {
            if (Classifier is null) yield return "Classifier is missing; an Encoder bundle holds the fine-tuned head's settings";
            else foreach (var f in OptionsValidation.NestedFailures(new AnnotationsValidator<ClassifierHeadOptions>(), Classifier, "Classifier")) yield return f;
            if (ClassNames is null || ClassNames.Count == 0) yield return "ClassNames is missing";
        }
    }
}

/// <summary>The settings of a temporal-model bundle: which model it is with the options that build it, its windows and how it predicts.</summary>
public sealed class TemporalManifest
{
    /// <summary>Which temporal model the bundle holds. <value>The default value is <see cref="TemporalModelKind.AffectSequenceModel"/> (format 1 manifests hold only ours).</value></summary>
    public TemporalModelKind Model { get; set; } = TemporalModelKind.AffectSequenceModel;

    /// <summary>Our model's options (<see cref="TemporalModelKind.AffectSequenceModel"/>), or null.</summary>
    public AffectSequenceModelOptions? SequenceModel { get; set; }

    /// <summary>
    /// The authors' models' options, one a task in task order (<see cref="TemporalModelKind.AuthorsTemporalModel"/>;
    /// their weights are under <see cref="PerTaskTemporalModel.KeyOf"/>'s prefixes), or null.
    /// </summary>
    public List<AuthorsTemporalModelOptions>? AuthorsModels { get; set; }

    /// <summary>The windows the model was trained on and predicts over.</summary>
    public SegmentationOptions Segmentation { get; set; } = new();

    /// <summary>
    /// How the model predicts: the protocol (windows and how overlaps resolve), valence/arousal clipping, the
    /// expression mode filter and the action units' rule at the threshold; the recipe's at training.
    /// <see cref="InferenceOptions.EncoderBatchSize"/> is not used from here. <value>The default value is
    /// <see cref="InferenceOptions.OverlapAverage"/> (format 1 manifests predict so).</value>
    /// </summary>
    public InferenceOptions Inference { get; set; } = InferenceOptions.OverlapAverage;

    /// <summary>The expression classes in output order (<see cref="AffectLabels.ExpressionNames"/>).</summary>
    public List<string> ExpressionNames { get; set; } = [.. AffectLabels.ExpressionNames];

    /// <summary>The action units in output order (<see cref="AffectLabels.ActionUnitNames"/>).</summary>
    public List<string> ActionUnitNames { get; set; } = [.. AffectLabels.ActionUnitNames];

    /// <summary>
    /// Probability at (or, by <see cref="InferenceOptions.ActionUnitRule"/>, above) which an action unit is decided
    /// present, one per unit. <value>The default value is 0.5 for each.</value>
    /// </summary>
    public List<float> ActionUnitThresholds { get; set; } = [.. Enumerable.Repeat(0.5f, AffectLabels.ActionUnitCount)];

    /// <summary>SHA-256 of the encoder weights whose features the model was trained on, or null when unknown.</summary>
    public string? EncoderSha256 { get; set; }

    /// <summary>How training went: epochs run and the best epoch (0-based) and score, or null.</summary>
    public TrainingSummary? Training { get; set; }

    /// <summary>How the training of each of the authors' models went (they are trained one a task), or null.</summary>
    public Dictionary<AffectTask, TrainingSummary>? TrainingByTask { get; set; }

    /// <summary>A new, untrained model of the kind and options recorded here.</summary>
    internal TemporalAffectModel BuildModel() => Model switch
    {
        TemporalModelKind.AffectSequenceModel => new AffectSequenceModel(SequenceModel!),
        _ => new PerTaskTemporalModel(AuthorsModels!.Select(o => new AuthorsTemporalModel(o))),
    };

    internal IEnumerable<string> Failures()
    {
        if (!Enum.IsDefined(Model))
        {
            yield return $"Model is {(int)Model}, not one of {string.Join(", ", Enum.GetNames<TemporalModelKind>())}";
        }
        else if (Model == TemporalModelKind.AffectSequenceModel)
        {
            foreach (var f in OptionsValidation.NestedFailures(new AffectSequenceModelOptionsValidator(), SequenceModel, "SequenceModel")) yield return f;
            if (AuthorsModels is not null) yield return "AuthorsModels is set but Model is AffectSequenceModel; remove one of them";
        }
        else
        {
            if (SequenceModel is not null) yield return "SequenceModel is set but Model is AuthorsTemporalModel; remove one of them";
            if (AuthorsModels is null || AuthorsModels.Count == 0)
            {
                yield return "AuthorsModels is missing; an AuthorsTemporalModel bundle lists one model a task";
            }
            else
            {
                for (int i = 0; i < AuthorsModels.Count; i++)
                    foreach (var f in OptionsValidation.NestedFailures(new AuthorsTemporalModelOptionsValidator(), AuthorsModels[i], $"AuthorsModels[{i}]")) yield return f;
                var tasks = AuthorsModels.Where(o => o is not null).Select(o => o.Task).ToList();
                if (tasks.Distinct().Count() != tasks.Count || !tasks.SequenceEqual(AffectTasks.Each.Where(tasks.Contains)))
                    yield return $"AuthorsModels predict [{string.Join(", ", tasks)}]; list one model a task, in the order {string.Join(", ", AffectTasks.Each)}";
                if (AuthorsModels.Where(o => o?.Tcn is not null).Select(o => o.Tcn.InputDim).Distinct().Count() > 1)
                    yield return "AuthorsModels read features of different sizes (Tcn.InputDim); they must read the same features";
            }
        }
        foreach (var f in OptionsValidation.NestedFailures(new SegmentationOptionsValidator(), Segmentation, "Segmentation")) yield return f;
        foreach (var f in OptionsValidation.NestedFailures(new InferenceOptionsValidator(), Inference, "Inference")) yield return f;
        if (ExpressionNames is null || !ExpressionNames.SequenceEqual(AffectLabels.ExpressionNames))
            yield return $"ExpressionNames must be [{string.Join(", ", AffectLabels.ExpressionNames)}]";
        if (ActionUnitNames is null || !ActionUnitNames.SequenceEqual(AffectLabels.ActionUnitNames))
            yield return $"ActionUnitNames must be [{string.Join(", ", AffectLabels.ActionUnitNames)}]";
        if (ActionUnitThresholds is null || ActionUnitThresholds.Count != AffectLabels.ActionUnitCount || ActionUnitThresholds.Any(t => !(t > 0 && t < 1)))
            yield return $"ActionUnitThresholds must hold {AffectLabels.ActionUnitCount} probabilities in (0, 1)";
    }
}

/// <summary>How a temporal model's training went.</summary>
/// <param name="Epochs">Epochs run.</param>
/// <param name="BestEpoch">0-based epoch whose weights the bundle holds, or null without validation.</param>
/// <param name="BestScore">Its validation score (mean of P_VA, P_EXPR, P_AU), or null.</param>
public sealed record TrainingSummary(int Epochs, int? BestEpoch, double? BestScore);
