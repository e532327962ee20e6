"""Trains the test models, run by the tests with the Python of the virtualenv that will serve them (so the
files match the library versions that load them):

  train.py iris OUT.npz                 the iris data set (scikit-learn ships it) as arrays
  train.py sklearn DIR [pickle]         DIR/model.joblib (a LogisticRegression pipeline, as Seldon's iris example),
                                      or DIR/model.pkl written by pickle
  train.py xgboost DIR IRIS.npz [FILE [named]]  DIR/FILE (model.bst by default): a multi:softprob booster
                                      (trained on named columns with `named`)
  train.py mlflow DIR                   DIR/MLmodel ...: a sklearn-flavour MLflow model with a column signature

Each model folder also gets expected.json: the model's own answers for the first rows, to compare the
servers' answers with.
"""
import json
import os
import sys

import numpy as np

ROWS = [0, 50, 100]  # one flower of each class

METADATA = """name: iris
versions: [iris/v1]
platform: {platform}
inputs:
- {{datatype: FP64, name: input, shape: [4]}}
outputs:
- {{datatype: FP64, name: output, shape: [3]}}
"""


def iris():
    from sklearn import datasets
    data = datasets.load_iris()
    return data.data, data.target, [str(n) for n in data.feature_names]


def write_expected(folder, X, **answers):
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(dict(rows=X[ROWS].tolist(), **{k: np.asarray(v).tolist() for k, v in answers.items()}), f)


def sklearn_model(folder, file_format="joblib"):
    import joblib
    import pickle
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    X, y, _ = iris()
    model = Pipeline([("clf", LogisticRegression(max_iter=1000))]).fit(X, y)
    os.makedirs(folder, exist_ok=True)
    if file_format == "pickle":
        with open(os.path.join(folder, "model.pkl"), "wb") as f:
            pickle.dump(model, f)
    else:
        joblib.dump(model, os.path.join(folder, "model.joblib"))
    with open(os.path.join(folder, "metadata.yaml"), "w") as f:
        f.write(METADATA.format(platform="sklearn"))
    write_expected(folder, X, predict_proba=model.predict_proba(X[ROWS]), predict=model.predict(X[ROWS]),
                   decision_function=model.decision_function(X[ROWS]))


def xgboost_model(folder, data_file, file_name="model.bst", named=""):
    import xgboost as xgb
    data = np.load(data_file)
    X, y = data["X"], data["y"]
    names = ["sepal_length", "sepal_width", "petal_length", "petal_width"] if named == "named" else None
    booster = xgb.train({"objective": "multi:softprob", "num_class": 3, "max_depth": 2, "eta": 0.3},
                        xgb.DMatrix(X, label=y, feature_names=names), num_boost_round=10)
    os.makedirs(folder, exist_ok=True)
    booster.save_model(os.path.join(folder, file_name))
    write_expected(folder, X, predict_proba=booster.predict(xgb.DMatrix(X[ROWS], feature_names=names)))


def mlflow_model(folder):
    import mlflow.sklearn
    import pandas as pd
    from mlflow.models import infer_signature
    from sklearn.linear_model import LogisticRegression
    X, y, names = iris()
    frame = pd.DataFrame(X, columns=names)
    model = LogisticRegression(max_iter=1000).fit(frame, y)
    mlflow.sklearn.save_model(model, folder, signature=infer_signature(frame, model.predict(frame)))
    write_expected(folder, X, predict=model.predict(frame.iloc[ROWS]), names=names)


def main(argv):
    kind, target = argv[0], argv[1]
    if kind == "iris":
        X, y, _ = iris()
        np.savez(target, X=X, y=y)
    elif kind == "sklearn":
        sklearn_model(target, *argv[2:])
    elif kind == "xgboost":
        xgboost_model(target, *argv[2:])
    elif kind == "mlflow":
        mlflow_model(target)
    else:
        raise SystemExit(f"unknown kind {kind}")


if __name__ == "__main__":
    main(sys.argv[1:])
