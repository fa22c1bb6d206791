using AffectMae.Models.Data;
using AffectMae.Models.Mae;
using AffectMae.Models.Tests.Data;
using AffectMae.Models.Training;
using SkiaSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Training;

[Collection(GlobalRngCollection.Name)]
public sealed class ImageStagesTests : IDisposable
{
    private readonly TestImages images = new();

    public void Dispose() => images.Dispose();

    // Class 0 ("Neutral") frames are reddish on the left half, class 4 ("Happiness") bluish on the top half; each
    // frame's shade differs a little so the classifier cannot memorise single pixels.
    private (List<string> Paths, List<int> Labels) TwoClassFrames(string prefix, int perClass)
    {
        var paths = new List<string>();
        var labels = new List<int>();
        for (int i = 0; i < perClass; i++)
        {
            byte shade = (byte)(100 + 10 * i);
            paths.Add(images.Write($"{prefix}/red{i}.png", 32, 32, (x, _) => x < 16 ? new SKColor(shade, 30, 30) : SKColors.Gray));
            labels.Add(0);
            paths.Add(images.Write($"{prefix}/blue{i}.png", 32, 32, (_, y) => y < 16 ? new SKColor(30, 30, shade) : SKColors.Gray));
            labels.Add(4);
        }
        return (paths, labels);
    }

    [Fact]
    public void Fine_tuning_separates_two_expressions_reaching_the_macro_F1_ceiling_of_two_present_classes()
    {
        var (trainPaths, trainLabels) = TwoClassFrames("train", 6);
        var (valPaths, valLabels) = TwoClassFrames("val", 3);
        var transform = ImageTransform.Eval(32);
        manual_seed(0);
        using var model = new MaeClassifier(MaeClassifierOptions.Tiny);
        var options = new OptimizationOptions { LearningRate = 3e-3, Epochs = 8, WarmupEpochs = 1, BatchSize = 4, WeightDecay = 0.05 };
        var stage = new ExpressionFineTuningStage(model, options);
        var validation = new LabelledFrameDataset(valPaths, valLabels, transform);

        stage.Run(new LabelledFrameDataset(trainPaths, trainLabels, transform), validation, new StageRunOptions { Workers = 1, PrefetchBatches = 2 });

        // Only classes 0 and 4 occur; the 6 absent classes score F1 = 0, so perfect predictions give macro F1 = 2/8.
        stage.Evaluate(validation).Should().BeApproximately(0.25, 1e-12);
    }

    [Fact]
    public void Pre_training_lowers_the_reconstruction_loss_of_the_frames()
    {
        var (paths, _) = TwoClassFrames("mae", 4);
        var dataset = new ImageListDataset(paths, ImageTransform.Eval(32));
        manual_seed(0);
        using var model = new MaeViT(MaeViTOptions.Tiny);
        var options = new OptimizationOptions { LearningRate = 2e-3, Epochs = 15, WarmupEpochs = 1, BatchSize = 4, WeightDecay = 0.05, Beta2 = 0.95 };
        var stage = new MaePretrainingStage(model, options);
        var losses = new List<double>();

        stage.Run(dataset, new StageRunOptions { Progress = new Collect(losses), Workers = 0 });

        // 8 frames in batches of 4 → 2 steps an epoch, 30 steps in all; compare the first and last epochs' means.
        losses.Should().HaveCount(30);
        losses.TakeLast(2).Average().Should().BeLessThan(0.5 * losses.Take(2).Average());
    }

    private sealed class Collect(List<double> losses) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => losses.Add(value.Loss);
    }
}
