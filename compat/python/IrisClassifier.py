"""A joblib scikit-learn model wrapped for seldon-core-microservice, as in seed 002.
The model file comes from the STRING parameter model_path (PREDICTIVE_UNIT_PARAMETERS)."""
from joblib import load


class IrisClassifier(object):
    def __init__(self, model_path="iris.joblib"):
        with open(model_path, "rb") as f:
            self._model = load(f)

    def class_names(self):
        return ["setosa", "versicolor", "virginica"]

    def predict(self, X, features_names):
        return self._model.predict_proba(X)
