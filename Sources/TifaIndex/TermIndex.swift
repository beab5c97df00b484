import Tifa
