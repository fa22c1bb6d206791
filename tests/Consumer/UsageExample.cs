using AffectMae.Models.Pipeline;

public static class UsageExample
{
    public static VideoAffect Run(string encoderBundle, string temporalBundle, string framesFolder, string csvPath)
    {
        // A trained frame encoder and temporal model: each bundle folder holds its weights and the settings that
        // rebuild it (model.json), so nothing else needs to be known. Pass a Device to run on a GPU.
        using var recognizer = AffectRecognizer.Load(encoderBundle, temporalBundle);

        // Every frame of a folder of face crops (00001.jpg, 00002.jpg, …): valence, arousal, the 8 expression
        // probabilities and the 12 action units, one row a frame, written as CSV with a named header.
        var video = recognizer.PredictFolder(framesFolder);
        AffectCsv.Write(csvPath, video.Frames);
        return video;
    }
}
