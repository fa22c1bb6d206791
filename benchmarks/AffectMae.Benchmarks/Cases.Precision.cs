// The accuracy cases: how close bfloat16 inference comes to float32, at the paper's sizes with random weights and
// through a trained encoder.
using AffectMae.Models.Mae;
using AffectMae.Models.Pipeline;
using AffectMae.Models.Runtime;
using AffectMae.Models.Temporal;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Benchmarks;

internal static partial class Cases
{
    /// <summary>
    /// bfloat16 against float32 at the paper's sizes, random weights (seed 0): ViT-B/16 features of the same 16 images
    /// (cosine per image, relative L2 error), and the temporal model's predictions on 4 windows of 300 random features,
    /// one of them padded to 120 frames (cosine per frame over valid frames).
    /// </summary>
    private static CaseResult PrecisionAccuracy(Settings settings)
    {
        double rssStart = ProcessMemory.ResidentMiB();
        var extra = new Dictionary<string, double>();
        using (var reference = new MaeClassifier(new MaeClassifierOptions { Encoder = MaeViTOptions.Base16Dec512D8 }))
        using (var model = new MaeClassifier(new MaeClassifierOptions { Encoder = MaeViTOptions.Base16Dec512D8 }))
        {
            model.load_state_dict(reference.state_dict());
            reference.eval();
            Log.Line($"  precision: {model.UseInferencePrecision(InferencePrecision.BFloat16)}");
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var images = randn([16, 3, 224, 224], generator: new Generator(1));
            var expected = cat([reference.ExtractFeatures(images[..8]), reference.ExtractFeatures(images[8..])], 0);
            var features = cat([model.ExtractFeatures(images[..8]), model.ExtractFeatures(images[8..])], 0);
            AddAgreement(extra, "vit_b16_feature", features, expected);
        }
        using (var reference = new AffectSequenceModel(AffectSequenceModelOptions.Base768D512))
        using (var model = new AffectSequenceModel(AffectSequenceModelOptions.Base768D512))
        {
            model.load_state_dict(reference.state_dict());
            reference.eval();
            model.UseInferencePrecision(InferencePrecision.BFloat16);
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var x = randn([4, 300, 768], generator: new Generator(2));
            var valid = arange(300).unsqueeze(0).lt(tensor(new long[] { 300, 300, 300, 120 }).unsqueeze(1));
            using var expected = reference.call(x, valid);
            using var predictions = model.call(x, valid);
            foreach (var (actual, wanted, task) in predictions.Tensors.Zip(expected.Tensors, ["va", "expr", "au"]))
            {
                extra[$"temporal_{task}_cosine_mean"] = nn.functional.cosine_similarity(actual[valid], wanted[valid], 1).mean().item<float>();
                extra[$"temporal_{task}_max_abs_difference"] = (actual[valid] - wanted[valid]).abs().max().item<float>();
            }
        }
        return AccuracyResult("precision-accuracy", "bfloat16 vs float32: ViT-B/16 features of 16 random images; AffectSequenceModel(Base768D512) on [4, 300, 768]", rssStart, extra);
    }

    /// <summary>
    /// bfloat16 against float32 on a trained encoder (by default the demo's fine-tuned one, after <c>demo</c>): features
    /// of every fourth validation frame, at most 512, through the bundle as extraction runs it (cosine per frame,
    /// relative L2 error).
    /// </summary>
    private static CaseResult PrecisionAccuracyDemo(Settings settings)
    {
        const int MaxFrames = 512;
        double rssStart = ProcessMemory.ResidentMiB();
        string folder = new RunFolder(settings.RunFolder).EncoderModel(EncoderKind.FineTuned);
        if (!File.Exists(Path.Combine(folder, ModelManifest.FileName)))
            throw new ArgumentException($"No trained encoder in {folder}: run the demo first, or give --run <run folder> and --data <its data>.");
        var data = new AbawDataset(settings.DataFolder);
        var frames = data.SampledFrames(data.Validation, 4).Select(f => f.Path).Take(MaxFrames).ToList();
        float[] Features(InferencePrecision precision)
        {
            using var bundle = EncoderBundle.Load(folder);
            Log.Line($"  precision: {bundle.UseInferencePrecision(precision)}");
            return bundle.CreateFrameEncoder(batchSize: 64).Encode(frames);
        }
        using var scope = NewDisposeScope();
        var expected = tensor(Features(InferencePrecision.Float32)).reshape(frames.Count, -1);
        var actual = tensor(Features(InferencePrecision.BFloat16)).reshape(frames.Count, -1);
        var extra = new Dictionary<string, double> { ["frames"] = frames.Count };
        AddAgreement(extra, "feature", actual, expected);
        return AccuracyResult("precision-accuracy-demo", $"bfloat16 vs float32 features of {frames.Count} validation frames through the trained encoder {folder}", rssStart, extra);
    }

    // Cosine per row (mean and min) and the relative L2 error of actual [N, D] against expected.
    private static void AddAgreement(Dictionary<string, double> extra, string prefix, Tensor actual, Tensor expected)
    {
        var cosine = nn.functional.cosine_similarity(actual, expected, 1);
        extra[$"{prefix}_cosine_mean"] = cosine.mean().item<float>();
        extra[$"{prefix}_cosine_min"] = cosine.min().item<float>();
        extra[$"{prefix}_relative_l2_error"] = ((actual - expected).norm() / expected.norm()).item<float>();
    }

    private static CaseResult AccuracyResult(string name, string work, double rssStart, Dictionary<string, double> extra)
    {
        foreach (var (key, value) in extra) Log.Line($"  {key}: {value:F6}");
        return new CaseResult { Case = name, Work = work, RssStartMib = rssStart, Extra = extra };
    }
}
