using AffectMae.Core.Segmentation;
using AffectMae.Models.Data;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Features;
using AffectMae.Models.IO;
using AffectMae.Models.Mae;
using AffectMae.Models.Runtime;
using AffectMae.Models.Temporal;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Cli.Pipeline;

/// <summary>Per-frame predictions for a folder of face frames, with the fine-tuned encoder and the trained temporal model.</summary>
public static class PredictStep
{
    /// <summary>
    /// Encodes the folder's .jpg/.png frames in name order, runs the temporal model over windows, and writes
    /// <c>va.txt</c>, <c>expr.txt</c>, <c>au.txt</c> in the ABAW submission layout to <paramref name="output"/>.
    /// </summary>
    public static IReadOnlyList<string> Run(string frames, string output, Workspace workspace, PipelineSettings settings, TemporalVariant variant, Device? device)
    {
        if (!Directory.Exists(frames))
            throw new DirectoryNotFoundException($"Frame folder '{frames}' does not exist.");
        var paths = Directory.EnumerateFiles(frames).Where(p => p.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).ToList();
        if (paths.Count == 0)
            throw new FileNotFoundException($"'{frames}' holds no .jpg or .png frames.");
        string video = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(frames)));
        string temporalWeights = Path.Combine(workspace.Temporal(variant.Name), "best", "model.safetensors");
        if (!File.Exists(temporalWeights))
            throw new FileNotFoundException($"No trained temporal model at {temporalWeights}; run `train` (or `demo`) first.", temporalWeights);

        var transform = ImageTransform.Eval(settings.ImageSize);
        using var classifier = new MaeClassifier(new MaeClassifierOptions { Encoder = settings.Mae }, device);
        StateDictLoader.LoadFile(classifier, workspace.ClassifierWeights);
        classifier.eval();
        var features = new List<float>();
        int dimension = settings.Mae.EmbedDim;
        using (no_grad())
        {
            foreach (var chunk in paths.Chunk(settings.ExtractionBatchSize))
            {
                using var pause = CollectionPause.Begin();
                using var scope = NewDisposeScope();
                features.AddRange(classifier.ExtractFeatures(FrameSet.LoadBatch(chunk, transform, device)).cpu().data<float>().ToArray());
            }
        }

        var windows = new FeatureWindowDataset([new VideoFeatures(video, features.ToArray(), dimension)], new VideoSegmenter(settings.WindowLength, settings.Stride));
        using var model = new AffectSequenceModel(settings.SequenceModel(dimension, variant.UseTcn, variant.UseTransformer));
        if (device is not null) model.to(device);
        StateDictLoader.LoadFile(model, temporalWeights);
        var predictions = TemporalEvaluator.Predict(model, windows, settings.Temporal.BatchSize, device);
        return PredictionFiles.Write(output, predictions);
    }
}
